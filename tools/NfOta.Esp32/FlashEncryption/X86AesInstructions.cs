using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace NfOta.Esp32.FlashEncryption;

/// <summary><see cref="IAesInstructions"/> on x86/x64 AES-NI.</summary>
internal readonly struct X86AesInstructions : IAesInstructions
{
    public static bool IsSupported => X86Aes.IsSupported && Ssse3.IsSupported;

    public static string Name => "AES-NI";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> SubBytesShiftRows(Vector128<byte> x, Vector128<byte> key) => X86Aes.EncryptLast(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Shuffle(Vector128<byte> x, Vector128<byte> indices) => Ssse3.Shuffle(x, indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> InverseMixColumns(Vector128<byte> x) => X86Aes.InverseMixColumns(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptFirst(Vector128<byte> x, Vector128<byte> key) => x ^ key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptRound(Vector128<byte> x, Vector128<byte> key) => X86Aes.Encrypt(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> EncryptLast(Vector128<byte> x, Vector128<byte> key) => X86Aes.EncryptLast(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptFirst(Vector128<byte> x, Vector128<byte> key) => x ^ key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptRound(Vector128<byte> x, Vector128<byte> key) => X86Aes.Decrypt(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> DecryptLast(Vector128<byte> x, Vector128<byte> key) => X86Aes.DecryptLast(x, key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ZipLow(Vector128<uint> a, Vector128<uint> b) => Sse2.UnpackLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ZipHigh(Vector128<uint> a, Vector128<uint> b) => Sse2.UnpackHigh(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ZipLow(Vector128<ulong> a, Vector128<ulong> b) => Sse2.UnpackLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ZipHigh(Vector128<ulong> a, Vector128<ulong> b) => Sse2.UnpackHigh(a, b);
}
