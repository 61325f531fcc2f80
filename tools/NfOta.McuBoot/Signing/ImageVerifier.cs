using NfOta.McuBoot.Images;

namespace NfOta.McuBoot.Signing;

/// <summary>
/// Checks an image as MCUboot v2.3.0 with MCUBOOT_SIGN_EC256 does at boot, and as
/// <c>imgtool verify</c> does: the structure, the SHA-256 TLV, then, with a key, an ECDSA P-256
/// signature by that key over the hash. Without a key only the hash is checked, like
/// <c>imgtool verify</c> without <c>-k</c>.
/// </summary>
public static class ImageVerifier
{
    /// <exception cref="Errors.McuBootFormatException">The image is malformed, or fails a check.</exception>
    public static VerifiedImage Verify(ReadOnlyMemory<byte> bytes, Ec256Key? key) => Verify(McuBootImage.Parse(bytes), key);

    /// <exception cref="Errors.McuBootFormatException">The image fails a check.</exception>
    public static VerifiedImage Verify(McuBootImage image, Ec256Key? key)
    {
        var digest = ImageHash.Check(image);
        if (key is not null) SignatureCheck.Check(image, digest, key);
        return new VerifiedImage(image, digest, key is not null);
    }
}
