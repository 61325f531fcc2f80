using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>Room for the round keys of AES-128 (11) or AES-256 (15).</summary>
[InlineArray(15)]
internal struct AesRoundKeys
{
    private Vector128<byte> _key;
}

/// <summary>
/// AES on x86 AES-NI for XTS, which wants its tweak and data work fused into one pass (the
/// classic ESP32 scheme has its own four-key code, <see cref="Esp32TweakBatch"/>). Every helper
/// is inlined so independent blocks overlap in the pipeline.
/// </summary>
internal static class AesNi
{
    public static bool IsSupported => X86Aes.IsSupported && Ssse3.IsSupported;

    /// <summary>Reverses the 16 bytes of a block (ESP32 hardware feeds AES byte-reversed blocks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Reverse(Vector128<byte> block) =>
        Ssse3.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    /// <summary>x ^ (x &lt;&lt; 32) ^ (x &lt;&lt; 64) ^ (x &lt;&lt; 96): the running XOR of the key schedule words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PrefixXor(Vector128<byte> x)
    {
        var a = x ^ Sse2.ShiftLeftLogical128BitLane(x, 4);
        return a ^ Sse2.ShiftLeftLogical128BitLane(a, 8);
    }

    /// <summary>Each 32-bit column holds RotWord(word 3): the input of the key schedule's S-box step.</summary>
    private static readonly Vector128<byte> RotatedWord3 = Vector128.Create((byte)13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12);

    /// <summary>Each 32-bit column holds word 3 unrotated (AES-256's extra SubWord step).</summary>
    private static readonly Vector128<byte> Word3 = Vector128.Create((byte)12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15);

    /// <summary>
    /// SubWord of the selected word in all four columns, XORed with rcon. AESENCLAST does it: with
    /// four equal columns ShiftRows changes nothing, so it is SubBytes plus the XOR. It replaces
    /// AESKEYGENASSIST, which is microcoded and several times slower on most cores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SubWordBroadcast(Vector128<byte> key, Vector128<byte> select, byte rcon) =>
        X86Aes.EncryptLast(Ssse3.Shuffle(key, select), Vector128.Create((uint)rcon).AsByte());

    /// <summary>Next round key: the running XOR of the previous one, plus SubWord(RotWord(w3)) ^ rcon of the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> RotStep(Vector128<byte> previous, Vector128<byte> last, byte rcon) =>
        PrefixXor(previous) ^ SubWordBroadcast(last, RotatedWord3, rcon);

    /// <summary>AES-256's extra SubWord step without rotation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SubStep(Vector128<byte> previous, Vector128<byte> even) =>
        PrefixXor(previous) ^ SubWordBroadcast(even, Word3, 0);

    /// <summary>FIPS-197 AES-128 key expansion: 11 round keys.</summary>
    public static void ExpandKey128(Vector128<byte> key, ref AesRoundKeys rk)
    {
        rk[0] = key;
        rk[1] = RotStep(rk[0], rk[0], 0x01);
        rk[2] = RotStep(rk[1], rk[1], 0x02);
        rk[3] = RotStep(rk[2], rk[2], 0x04);
        rk[4] = RotStep(rk[3], rk[3], 0x08);
        rk[5] = RotStep(rk[4], rk[4], 0x10);
        rk[6] = RotStep(rk[5], rk[5], 0x20);
        rk[7] = RotStep(rk[6], rk[6], 0x40);
        rk[8] = RotStep(rk[7], rk[7], 0x80);
        rk[9] = RotStep(rk[8], rk[8], 0x1B);
        rk[10] = RotStep(rk[9], rk[9], 0x36);
    }

    /// <summary>FIPS-197 AES-256 key expansion: 15 round keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpandKey256(Vector128<byte> k0, Vector128<byte> k1, ref AesRoundKeys rk)
    {
        var a = k0;
        var b = k1;
        rk[0] = a;
        rk[1] = b;
        a = RotStep(a, b, 0x01); rk[2] = a; b = SubStep(b, a); rk[3] = b;
        a = RotStep(a, b, 0x02); rk[4] = a; b = SubStep(b, a); rk[5] = b;
        a = RotStep(a, b, 0x04); rk[6] = a; b = SubStep(b, a); rk[7] = b;
        a = RotStep(a, b, 0x08); rk[8] = a; b = SubStep(b, a); rk[9] = b;
        a = RotStep(a, b, 0x10); rk[10] = a; b = SubStep(b, a); rk[11] = b;
        a = RotStep(a, b, 0x20); rk[12] = a; b = SubStep(b, a); rk[13] = b;
        a = RotStep(a, b, 0x40); rk[14] = a;
    }

    /// <summary>
    /// Turns encryption round keys into those of the equivalent inverse cipher (what AESDEC
    /// expects), in place: reverse the order and apply InvMixColumns to the inner keys.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InvertKeys(ref AesRoundKeys rk, int rounds)
    {
        ref var k = ref Unsafe.As<AesRoundKeys, Vector128<byte>>(ref rk);
        for (int i = 0, j = rounds; i < j; i++, j--)
        {
            var lo = Unsafe.Add(ref k, i);
            var hi = Unsafe.Add(ref k, j);
            Unsafe.Add(ref k, i) = i == 0 ? hi : X86Aes.InverseMixColumns(hi);
            Unsafe.Add(ref k, j) = j == rounds ? lo : X86Aes.InverseMixColumns(lo);
        }
        if (rounds % 2 == 0) Unsafe.Add(ref k, rounds / 2) = X86Aes.InverseMixColumns(Unsafe.Add(ref k, rounds / 2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Encrypt(Vector128<byte> block, ref AesRoundKeys rk, int rounds)
    {
        block ^= rk[0];
        for (var i = 1; i < rounds; i++) block = X86Aes.Encrypt(block, rk[i]);
        return X86Aes.EncryptLast(block, rk[rounds]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Decrypt(Vector128<byte> block, ref AesRoundKeys dk, int rounds)
    {
        block ^= dk[0];
        for (var i = 1; i < rounds; i++) block = X86Aes.Decrypt(block, dk[i]);
        return X86Aes.DecryptLast(block, dk[rounds]);
    }
}
