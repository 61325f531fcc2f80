using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>The 60 key-schedule words of four AES-256 keys, word-sliced: element c of word i is key c's.</summary>
[InlineArray(60)]
internal struct AesKeyWordsX4
{
    private Vector128<uint> _word;
}

/// <summary>
/// Four AES-256 key expansions at once, word-sliced: register i holds word i of all four keys.
/// Laid out like that, the schedule's running XORs are one instruction for four keys, and one
/// S-box pass (AESENCLAST / AESE) does the SubWord of all four, where the usual one-key layout
/// needs a broadcast, two shifts and four XORs per step, and an S-box pass per key. ESP32 flash
/// encryption needs a fresh schedule for every 32 bytes, so this is most of its cost.
/// </summary>
internal static class AesKeySchedule256x4
{
    /// <summary>
    /// Moves each word's bytes so that after ShiftRows element c holds RotWord(word c), ready for
    /// SubBytes: input byte 4j + r comes from word (j - r) mod 4, byte (r + 1) mod 4.
    /// </summary>
    private static readonly Vector128<byte> RotWordBeforeShiftRows = Select(rotate: true);

    /// <summary>The same without RotWord, for AES-256's middle SubWord step.</summary>
    private static readonly Vector128<byte> WordBeforeShiftRows = Select(rotate: false);

    private static Vector128<byte> Select(bool rotate)
    {
        Span<byte> map = stackalloc byte[16];
        for (var column = 0; column < 4; column++)
        {
            for (var row = 0; row < 4; row++)
            {
                map[4 * column + row] = (byte)(4 * ((column - row) & 3) + (rotate ? (row + 1) & 3 : row));
            }
        }
        return Vector128.Create((ReadOnlySpan<byte>)map);
    }

    /// <summary>Expands four keys given as word-sliced words 0..7 of <paramref name="words"/>.</summary>
    public static void Expand<T>(ref AesKeyWordsX4 words) where T : struct, IAesInstructions
    {
        var last = words[7];
        for (var step = 1; step <= Steps; step++) last = Step<T>(ref words, step, last);
    }

    public const int Steps = 13;

    /// <summary>
    /// Step 1..13: words 4 + 4·step .. 7 + 4·step. The first is w[i-8] ^ SubWord (odd steps:
    /// of RotWord, with rcon) of <paramref name="last"/> = w[i-1]; each next one XORs in the word
    /// before it, so all four are the running XOR of the old words, ^ the S-box output. The running
    /// XOR does not wait for the S-box, which keeps the chain from step to step short. Returns the
    /// last word, the next step's input, so the chain stays in a register.
    /// </summary>
    /// <remarks>
    /// Decryption keys are InvMixColumns of these. That is linear and works per word, so the
    /// InvMixColumns images follow the same XOR recurrence and could be tracked here for one
    /// InvMixColumns per step instead of four per round; that was the first version, and replacing
    /// it (together with unrolling the rounds) went from 1277 to 1500 MB/s: the loop runs short of
    /// SIMD issue slots, and the fifteen XORs and stores per step cost more than three AESIMC.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Step<T>(ref AesKeyWordsX4 words, int step, Vector128<uint> last)
        where T : struct, IAesInstructions
    {
        var odd = (step & 1) != 0;
        var rcon = Vector128.Create((uint)((step & 1) << ((step - 1) >> 1))).AsByte();
        var t = T.SubBytesShiftRows(T.Shuffle(last.AsByte(), odd ? RotWordBeforeShiftRows : WordBeforeShiftRows), rcon).AsUInt32();
        ref var w = ref Unsafe.Add(ref Unsafe.As<AesKeyWordsX4, Vector128<uint>>(ref words), 4 * step - 4);
        var p0 = w;
        var p1 = p0 ^ Unsafe.Add(ref w, 1);
        var p2 = p1 ^ Unsafe.Add(ref w, 2);
        var p3 = p2 ^ Unsafe.Add(ref w, 3);
        Unsafe.Add(ref w, 8) = p0 ^ t;
        Unsafe.Add(ref w, 9) = p1 ^ t;
        Unsafe.Add(ref w, 10) = p2 ^ t;
        var result = p3 ^ t;
        Unsafe.Add(ref w, 11) = result;
        return result;
    }

    /// <summary>4×4 transpose of 32-bit words: four keys' words ⇄ four word-sliced registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose<T>(
        Vector128<uint> r0, Vector128<uint> r1, Vector128<uint> r2, Vector128<uint> r3,
        out Vector128<byte> c0, out Vector128<byte> c1, out Vector128<byte> c2, out Vector128<byte> c3)
        where T : struct, IAesInstructions
    {
        var t0 = T.ZipLow(r0, r1).AsUInt64();
        var t1 = T.ZipLow(r2, r3).AsUInt64();
        var t2 = T.ZipHigh(r0, r1).AsUInt64();
        var t3 = T.ZipHigh(r2, r3).AsUInt64();
        c0 = T.ZipLow(t0, t1).AsByte();
        c1 = T.ZipHigh(t0, t1).AsByte();
        c2 = T.ZipLow(t2, t3).AsByte();
        c3 = T.ZipHigh(t2, t3).AsByte();
    }
}
