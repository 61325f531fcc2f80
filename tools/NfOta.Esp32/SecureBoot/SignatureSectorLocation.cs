using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// Where the bootloader reads an image's signature sector: at the image's own end rounded up to
/// 4 KiB. Whatever follows that sector (a second sector from signing twice, partition padding) is
/// never read, so signing and verifying must both use this sector and not simply the last 4 KiB.
/// </summary>
public static class SignatureSectorLocation
{
    /// <summary>
    /// The offset of the signature sector in <paramref name="data"/>: after the image for an ESP
    /// image; for other data, espsecure's layout (signature sector last). May be negative or past the
    /// end for data that has no sector.
    /// </summary>
    public static int OffsetIn(ReadOnlySpan<byte> data)
    {
        try
        {
            return AppImage.Parse(data).SignatureSectorOffset;
        }
        catch (Esp32FormatException)
        {
            return data.Length - SignatureSector.Size;
        }
    }

    /// <summary>True when <paramref name="offset"/> is a whole, aligned sector inside the data.</summary>
    public static bool HasSector(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset % SignatureSector.Size == 0 && offset + SignatureSector.Size <= data.Length;

    /// <summary>True when the data already carries at least one well-formed block where the bootloader looks.</summary>
    public static bool IsSigned(ReadOnlySpan<byte> data)
    {
        var offset = OffsetIn(data);
        return HasSector(data, offset) && SignatureSector.ValidBlocks(data.Slice(offset, SignatureSector.Size)).Count > 0;
    }
}
