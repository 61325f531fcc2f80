using System.Security.Cryptography;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Signing;

/// <summary>
/// The image hash: SHA-256 over header, payload and protected TLV area, which MCUboot compares
/// with every SHA-256 TLV (0x10) and the signature then covers.
/// </summary>
public static class ImageHash
{
    public const int Size = 32;

    public static byte[] Compute(McuBootImage image) => SHA256.HashData(image.HashedRegion.Span);

    /// <summary>Computes the hash and checks it against the image's SHA-256 TLVs.</summary>
    /// <returns>The digest.</returns>
    /// <exception cref="McuBootFormatException">No SHA-256 TLV, one of the wrong length, or a different digest.</exception>
    public static byte[] Check(McuBootImage image)
    {
        var tlvs = image.AllTlvs.Where(t => t.Type == TlvTypes.Sha256).ToList();
        if (tlvs.Count == 0)
            throw new McuBootFormatException(McuBootError.McubootHashMissing, "The image has no SHA-256 TLV.");
        var digest = Compute(image);
        foreach (var tlv in tlvs)
        {
            if (tlv.Length != Size)
                throw new McuBootFormatException(McuBootError.McubootHashLength, $"The SHA-256 TLV holds {tlv.Length} bytes, not {Size}.");
            if (!tlv.Data.Span.SequenceEqual(digest))
                throw new McuBootFormatException(McuBootError.McubootHashMismatch,
                    $"Image hash {Convert.ToHexStringLower(digest)} differs from the TLV's {Convert.ToHexStringLower(tlv.Data.Span)}.");
        }
        return digest;
    }
}
