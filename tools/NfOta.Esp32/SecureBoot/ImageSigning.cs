using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// Signs a file so that the signature lands where the bootloader reads it. For an ESP app image
/// that is the 4 KiB sector at the image's own end rounded up to 4 KiB, not after the file's last
/// byte: a file with trailing padding, or with a damaged sector, would otherwise get a sector
/// appended that is never read. Data that is not an app image keeps espsecure's layout.
/// </summary>
public static class ImageSigning
{
    /// <summary>The signed file, and whether a block was added to a sector the file already had.</summary>
    public static (byte[] Signed, bool AddedToExisting) Sign(ReadOnlySpan<byte> data, SecureBootKey key)
    {
        if (SignatureSectorLocation.IsSigned(data))
        {
            return (SecureBootV2.AddSignature(data, key), true);
        }
        AppImage image;
        try
        {
            image = AppImage.Parse(data);
        }
        catch (Esp32FormatException)
        {
            return (SecureBootV2.Sign(data, key), false);
        }
        var offset = image.SignatureSectorOffset;
        if (offset < data.Length)
        {
            RefuseDamagedSector(data[offset..], offset);
        }
        // Only 0xFF follows the sector's place: padding, which the signed file does not need.
        return (SecureBootV2.Sign(data[..Math.Min(offset, data.Length)], key), false);
    }

    /// <summary>Bytes where the bootloader reads the sector that are not erased flash: a broken signature, not padding.</summary>
    private static void RefuseDamagedSector(ReadOnlySpan<byte> tail, int offset)
    {
        var used = tail.IndexOfAnyExcept((byte)0xFF);
        if (used >= 0)
        {
            throw new Esp32FormatException(FormatError.SignatureSectorDamaged,
                $"the image ends at 0x{offset:X} but the bytes there (at 0x{offset + used:X}) are no valid signature block: " +
                $"a damaged signature sector; sign the unsigned image (this file's first {offset} bytes)");
        }
    }
}
