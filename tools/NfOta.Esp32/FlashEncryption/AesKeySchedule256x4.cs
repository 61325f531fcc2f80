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

    /// <summary>
    /// Expands four keys given as word-sliced words 0..7 of <paramref name="words"/>. With
    /// <paramref name="inverse"/>, also fills <paramref name="inverseWords"/> with InvMixColumns of
    /// every word (for the decryption keys): InvMixColumns is linear and works per word, so those
    /// follow the same XOR recurrence and cost one InvMixColumns per step instead of one per word.
    /// </summary>
    public static void Expand<T>(ref AesKeyWordsX4 words, ref AesKeyWordsX4 inverseWords, bool inverse) where T : struct, IAesInstructions
    {
        var last = Begin<T>(ref words, ref inverseWords, inverse);
        for (var step = 1; step <= Steps; step++) last = Step<T>(ref words, ref inverseWords, inverse, step, last);
    }

    public const int Steps = 13;

    /// <summary>Before the steps: the inverse words 0..7; returns word 7, the input of step 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Begin<T>(ref AesKeyWordsX4 words, ref AesKeyWordsX4 inverseWords, bool inverse) where T : struct, IAesInstructions
    {
        if (inverse)
        {
            for (var i = 0; i < 8; i++) inverseWords[i] = T.InverseMixColumns(words[i].AsByte()).AsUInt32();
        }
        return words[7];
    }

    /// <summary>
    /// Step 1..13: words 4 + 4·step .. 7 + 4·step. The first is w[i-8] ^ SubWord (odd steps:
    /// of RotWord, with rcon) of <paramref name="last"/> = w[i-1]; each next one XORs in the word
    /// before it, so all four are the running XOR of the old words, ^ the S-box output. The running
    /// XOR does not wait for the S-box, which keeps the chain from step to step short. Returns the
    /// last word, the next step's input, so the chain stays in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Step<T>(ref AesKeyWordsX4 words, ref AesKeyWordsX4 inverseWords, bool inverse, int step, Vector128<uint> last)
        where T : struct, IAesInstructions
    {
        var odd = (step & 1) != 0;
        var rcon = Vector128.Create((uint)((step & 1) << ((step - 1) >> 1))).AsByte();
        var t = T.SubBytesShiftRows(T.Shuffle(last.AsByte(), odd ? RotWordBeforeShiftRows : WordBeforeShiftRows), rcon).AsUInt32();
        var i = 4 + 4 * step;
        ref var w = ref Unsafe.Add(ref Unsafe.As<AesKeyWordsX4, Vector128<uint>>(ref words), i - 8);
        var p0 = w;
        var p1 = p0 ^ Unsafe.Add(ref w, 1);
        var p2 = p1 ^ Unsafe.Add(ref w, 2);
        var p3 = p2 ^ Unsafe.Add(ref w, 3);
        Unsafe.Add(ref w, 8) = p0 ^ t;
        Unsafe.Add(ref w, 9) = p1 ^ t;
        Unsafe.Add(ref w, 10) = p2 ^ t;
        var result = p3 ^ t;
        Unsafe.Add(ref w, 11) = result;
        if (inverse)
        {
            var it = T.InverseMixColumns(t.AsByte()).AsUInt32();
            ref var v = ref Unsafe.Add(ref Unsafe.As<AesKeyWordsX4, Vector128<uint>>(ref inverseWords), i - 8);
            var q0 = v;
            var q1 = q0 ^ Unsafe.Add(ref v, 1);
            var q2 = q1 ^ Unsafe.Add(ref v, 2);
            var q3 = q2 ^ Unsafe.Add(ref v, 3);
            Unsafe.Add(ref v, 8) = q0 ^ it;
            Unsafe.Add(ref v, 9) = q1 ^ it;
            Unsafe.Add(ref v, 10) = q2 ^ it;
            Unsafe.Add(ref v, 11) = q3 ^ it;
        }
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
