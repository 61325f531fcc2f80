using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// <see cref="IAesInstructions"/> on the ARMv8 Cryptography Extension. AESE/AESD XOR the key
/// first and leave (Inv)MixColumns to AESMC/AESIMC, so every round key moves one step earlier
/// than on x86 and the last key is a plain XOR.
/// </summary>
internal readonly struct ArmAesInstructions : IAesInstructions
{
    public static bool IsSupported => ArmAes.IsSupported && AdvSimd.Arm64.IsSupported;

    public static string Name => "ARM AES";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> SubBytesShiftRows(Vector128<byte> x, Vector128<byte> key) =>
        ArmAes.Encrypt(x, Vector128<byte>.Zero) ^ key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Shuffle(Vector128<byte> x, Vector128<byte> indices) => AdvSimd.Arm64.VectorTableLookup(x, indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> InverseMixColumns(Vector128<byte> x) => ArmAes.InverseMixColumns(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptFirst(Vector128<byte> x, Vector128<byte> key) => ArmAes.Encrypt(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptRound(Vector128<byte> x, Vector128<byte> key) => ArmAes.Encrypt(ArmAes.MixColumns(x), key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptLast(Vector128<byte> x, Vector128<byte> key) => x ^ key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptFirst(Vector128<byte> x, Vector128<byte> key) => ArmAes.Decrypt(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptRound(Vector128<byte> x, Vector128<byte> key) => ArmAes.Decrypt(ArmAes.InverseMixColumns(x), key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptLast(Vector128<byte> x, Vector128<byte> key) => x ^ key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ZipLow(Vector128<uint> a, Vector128<uint> b) => AdvSimd.Arm64.ZipLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ZipHigh(Vector128<uint> a, Vector128<uint> b) => AdvSimd.Arm64.ZipHigh(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ZipLow(Vector128<ulong> a, Vector128<ulong> b) => AdvSimd.Arm64.ZipLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ZipHigh(Vector128<ulong> a, Vector128<ulong> b) => AdvSimd.Arm64.ZipHigh(a, b);
}
