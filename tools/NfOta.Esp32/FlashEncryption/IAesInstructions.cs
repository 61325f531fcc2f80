using System.Runtime.Intrinsics;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// The AES instructions of one CPU family, behind static members so that code written once over
/// a struct that implements this compiles to straight instructions for each family (the JIT
/// specialises generic code per struct type argument, so nothing here costs a call).
/// </summary>
/// <remarks>
/// x86 AESENC is "SubBytes, ShiftRows, MixColumns, then XOR the key"; ARM AESE is "XOR the key,
/// then ShiftRows, SubBytes" with MixColumns a separate instruction. The First/Round/Last split
/// hides that difference: First takes round key 0, Round keys 1..13, Last key 14.
/// </remarks>
internal interface IAesInstructions
{
    static abstract bool IsSupported { get; }

    /// <summary>Shown by the benchmark, so a number says which code it measured.</summary>
    static abstract string Name { get; }

    /// <summary>SubBytes(ShiftRows(x)) ^ key: the one S-box pass the key schedule needs.</summary>
    static abstract Vector128<byte> SubBytesShiftRows(Vector128<byte> x, Vector128<byte> key);

    /// <summary>Byte i of the result is x[indices[i]] (all indices below 16).</summary>
    static abstract Vector128<byte> Shuffle(Vector128<byte> x, Vector128<byte> indices);

    static abstract Vector128<byte> InverseMixColumns(Vector128<byte> x);

    static abstract Vector128<byte> EncryptFirst(Vector128<byte> x, Vector128<byte> key);
    static abstract Vector128<byte> EncryptRound(Vector128<byte> x, Vector128<byte> key);
    static abstract Vector128<byte> EncryptLast(Vector128<byte> x, Vector128<byte> key);

    /// <summary>Decryption with the equivalent inverse cipher's keys (inner keys through InvMixColumns).</summary>
    static abstract Vector128<byte> DecryptFirst(Vector128<byte> x, Vector128<byte> key);
    static abstract Vector128<byte> DecryptRound(Vector128<byte> x, Vector128<byte> key);
    static abstract Vector128<byte> DecryptLast(Vector128<byte> x, Vector128<byte> key);

    /// <summary>Interleaves the low 32-bit halves: [a0, b0, a1, b1].</summary>
    static abstract Vector128<uint> ZipLow(Vector128<uint> a, Vector128<uint> b);

    /// <summary>[a2, b2, a3, b3].</summary>
    static abstract Vector128<uint> ZipHigh(Vector128<uint> a, Vector128<uint> b);

    /// <summary>[a0, b0] of 64-bit elements.</summary>
    static abstract Vector128<ulong> ZipLow(Vector128<ulong> a, Vector128<ulong> b);

    /// <summary>[a1, b1] of 64-bit elements.</summary>
    static abstract Vector128<ulong> ZipHigh(Vector128<ulong> a, Vector128<ulong> b);
}
