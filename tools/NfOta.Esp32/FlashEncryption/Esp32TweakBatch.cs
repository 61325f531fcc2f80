using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// Classic ESP32 flash on AES instructions, 128 bytes at a time: four 32-byte blocks, four tweaked
/// keys expanded together (<see cref="AesKeySchedule256x4"/>), eight AES blocks in flight.
/// </summary>
/// <remarks>
/// A key schedule is a chain of dependent steps, and 128 bytes of AES rounds are over before one
/// chain is, so the two are software-pipelined: each AES round of batch n is followed by one
/// schedule step of batch n + 1, and the CPU overlaps the round's throughput-bound work with the
/// step's latency-bound work.
/// </remarks>
internal static class Esp32TweakBatch
{
    public const int Bytes = 128;

    /// <summary>ESP32 hardware feeds AES byte-reversed blocks.</summary>
    private static readonly Vector128<byte> ReverseBytes = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);

    /// <summary>
    /// <paramref name="batches"/> × 128 bytes from <paramref name="address"/>, a multiple of 32.
    /// <paramref name="encrypt"/> is the flash direction: flash encryption runs AES in its
    /// decrypt direction and vice versa.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(in Esp32KeyTweak tweak, ref byte src, ref byte dst, uint address, int batches, bool encrypt)
        where T : struct, IAesInstructions
    {
        // Every word is written before it is read; zeroing 2 KiB per call would cost more than a batch.
        Unsafe.SkipInit(out AesKeyWordsX4 even);
        Unsafe.SkipInit(out AesKeyWordsX4 odd);
        var keys = tweak.StartX4(address);
        keys.Next<T>(ref even);
        AesKeySchedule256x4.Expand<T>(ref even);
        for (var i = 0; i < batches; i++)
        {
            ref var current = ref (i & 1) == 0 ? ref even : ref odd;
            ref var next = ref (i & 1) == 0 ? ref odd : ref even;
            // The last batch expands one set of keys nobody uses: cheaper than a second loop.
            keys.Next<T>(ref next);
            ref var s = ref Unsafe.Add(ref src, i * Bytes);
            ref var d = ref Unsafe.Add(ref dst, i * Bytes);
            if (encrypt) Decrypt8<T>(ref s, ref d, ref current, ref next);
            else Encrypt8<T>(ref s, ref d, ref current, ref next);
        }
    }

    /// <summary>The eight AES blocks of a batch: block 2k and 2k + 1 share key k.</summary>
    private struct Blocks
    {
        public Vector128<byte> X0, X1, X2, X3, X4, X5, X6, X7;
    }

    /// <summary>
    /// The flash-encrypt direction: AES decryption with the equivalent inverse cipher's keys
    /// (14, InvMixColumns of 13..1, 0), while the next batch's schedule advances.
    /// </summary>
    // Optimised from the first call: a 16 MiB call otherwise runs long stretches at tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Decrypt8<T>(ref byte src, ref byte dst, ref AesKeyWordsX4 keys, ref AesKeyWordsX4 next)
        where T : struct, IAesInstructions
    {
        var last = next[7];
        var x = Load<T>(ref src);
        Keys<T>(ref keys, 14, out var ka, out var kb, out var kc, out var kd);
        x.X0 = T.DecryptFirst(x.X0, ka); x.X1 = T.DecryptFirst(x.X1, ka); x.X2 = T.DecryptFirst(x.X2, kb); x.X3 = T.DecryptFirst(x.X3, kb);
        x.X4 = T.DecryptFirst(x.X4, kc); x.X5 = T.DecryptFirst(x.X5, kc); x.X6 = T.DecryptFirst(x.X6, kd); x.X7 = T.DecryptFirst(x.X7, kd);
        // Unrolled by hand so that every step's rcon, S-box selector and word offsets are constants.
        last = DecryptRound<T>(ref x, ref keys, 13, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 12, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 11, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 10, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 9, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 8, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 7, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 6, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 5, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 4, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 3, ref next, last);
        last = DecryptRound<T>(ref x, ref keys, 2, ref next, last);
        DecryptRound<T>(ref x, ref keys, 1, ref next, last);
        Keys<T>(ref keys, 0, out ka, out kb, out kc, out kd);
        x.X0 = T.DecryptLast(x.X0, ka); x.X1 = T.DecryptLast(x.X1, ka); x.X2 = T.DecryptLast(x.X2, kb); x.X3 = T.DecryptLast(x.X3, kb);
        x.X4 = T.DecryptLast(x.X4, kc); x.X5 = T.DecryptLast(x.X5, kc); x.X6 = T.DecryptLast(x.X6, kd); x.X7 = T.DecryptLast(x.X7, kd);
        Store<T>(ref x, ref dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> DecryptRound<T>(ref Blocks x, ref AesKeyWordsX4 keys, int round, ref AesKeyWordsX4 next, Vector128<uint> last)
        where T : struct, IAesInstructions
    {
        Keys<T>(ref keys, round, out var ka, out var kb, out var kc, out var kd);
        ka = T.InverseMixColumns(ka); kb = T.InverseMixColumns(kb); kc = T.InverseMixColumns(kc); kd = T.InverseMixColumns(kd);
        x.X0 = T.DecryptRound(x.X0, ka); x.X1 = T.DecryptRound(x.X1, ka); x.X2 = T.DecryptRound(x.X2, kb); x.X3 = T.DecryptRound(x.X3, kb);
        x.X4 = T.DecryptRound(x.X4, kc); x.X5 = T.DecryptRound(x.X5, kc); x.X6 = T.DecryptRound(x.X6, kd); x.X7 = T.DecryptRound(x.X7, kd);
        return AesKeySchedule256x4.Step<T>(ref next, 14 - round, last);
    }

    /// <summary>The flash-decrypt direction: AES encryption, while the next batch's schedule advances.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Encrypt8<T>(ref byte src, ref byte dst, ref AesKeyWordsX4 keys, ref AesKeyWordsX4 next)
        where T : struct, IAesInstructions
    {
        var last = next[7];
        var x = Load<T>(ref src);
        Keys<T>(ref keys, 0, out var ka, out var kb, out var kc, out var kd);
        x.X0 = T.EncryptFirst(x.X0, ka); x.X1 = T.EncryptFirst(x.X1, ka); x.X2 = T.EncryptFirst(x.X2, kb); x.X3 = T.EncryptFirst(x.X3, kb);
        x.X4 = T.EncryptFirst(x.X4, kc); x.X5 = T.EncryptFirst(x.X5, kc); x.X6 = T.EncryptFirst(x.X6, kd); x.X7 = T.EncryptFirst(x.X7, kd);
        last = EncryptRound<T>(ref x, ref keys, 1, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 2, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 3, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 4, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 5, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 6, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 7, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 8, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 9, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 10, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 11, ref next, last);
        last = EncryptRound<T>(ref x, ref keys, 12, ref next, last);
        EncryptRound<T>(ref x, ref keys, 13, ref next, last);
        Keys<T>(ref keys, 14, out ka, out kb, out kc, out kd);
        x.X0 = T.EncryptLast(x.X0, ka); x.X1 = T.EncryptLast(x.X1, ka); x.X2 = T.EncryptLast(x.X2, kb); x.X3 = T.EncryptLast(x.X3, kb);
        x.X4 = T.EncryptLast(x.X4, kc); x.X5 = T.EncryptLast(x.X5, kc); x.X6 = T.EncryptLast(x.X6, kd); x.X7 = T.EncryptLast(x.X7, kd);
        Store<T>(ref x, ref dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> EncryptRound<T>(ref Blocks x, ref AesKeyWordsX4 keys, int round, ref AesKeyWordsX4 next, Vector128<uint> last)
        where T : struct, IAesInstructions
    {
        Keys<T>(ref keys, round, out var ka, out var kb, out var kc, out var kd);
        x.X0 = T.EncryptRound(x.X0, ka); x.X1 = T.EncryptRound(x.X1, ka); x.X2 = T.EncryptRound(x.X2, kb); x.X3 = T.EncryptRound(x.X3, kb);
        x.X4 = T.EncryptRound(x.X4, kc); x.X5 = T.EncryptRound(x.X5, kc); x.X6 = T.EncryptRound(x.X6, kd); x.X7 = T.EncryptRound(x.X7, kd);
        return AesKeySchedule256x4.Step<T>(ref next, round, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Blocks Load<T>(ref byte src) where T : struct, IAesInstructions => new()
    {
        X0 = Load<T>(ref src, 0), X1 = Load<T>(ref src, 1), X2 = Load<T>(ref src, 2), X3 = Load<T>(ref src, 3),
        X4 = Load<T>(ref src, 4), X5 = Load<T>(ref src, 5), X6 = Load<T>(ref src, 6), X7 = Load<T>(ref src, 7),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref Blocks x, ref byte dst) where T : struct, IAesInstructions
    {
        Store<T>(x.X0, ref dst, 0); Store<T>(x.X1, ref dst, 1); Store<T>(x.X2, ref dst, 2); Store<T>(x.X3, ref dst, 3);
        Store<T>(x.X4, ref dst, 4); Store<T>(x.X5, ref dst, 5); Store<T>(x.X6, ref dst, 6); Store<T>(x.X7, ref dst, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load<T>(ref byte src, int block) where T : struct, IAesInstructions =>
        T.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(16 * block)), ReverseBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector128<byte> x, ref byte dst, int block) where T : struct, IAesInstructions =>
        T.Shuffle(x, ReverseBytes).StoreUnsafe(ref dst, (nuint)(16 * block));

    /// <summary>Round key <paramref name="round"/> of each of the four keys, back from the word-sliced form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keys<T>(ref AesKeyWordsX4 words, int round,
        out Vector128<byte> a, out Vector128<byte> b, out Vector128<byte> c, out Vector128<byte> d)
        where T : struct, IAesInstructions
    {
        ref var w = ref Unsafe.Add(ref Unsafe.As<AesKeyWordsX4, Vector128<uint>>(ref words), 4 * round);
        AesKeySchedule256x4.Transpose<T>(w, Unsafe.Add(ref w, 1), Unsafe.Add(ref w, 2), Unsafe.Add(ref w, 3), out a, out b, out c, out d);
    }
}
