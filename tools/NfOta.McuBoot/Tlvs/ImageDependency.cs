using System.Globalization;
using System.Text.RegularExpressions;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;

namespace NfOta.McuBoot.Tlvs;

/// <summary>
/// A dependency TLV (0x40, struct image_dependency, 12 bytes): the image index it needs (0 is
/// nanoCLR in nanoFramework's layout) and that image's minimum version. imgtool writes it from
/// <c>--dependencies "(id,version)"</c>, in the protected area.
/// </summary>
public sealed partial record ImageDependency(byte ImageId, ImageVersion MinimumVersion)
{
    /// <summary>u8 image id, three padding bytes, the 8-byte version.</summary>
    public const int Size = 12;

    public static ImageDependency Parse(Tlv tlv)
    {
        if (tlv.Length != Size)
            throw new McuBootFormatException(McuBootError.McubootDependencyLength, $"A dependency TLV holds {Size} bytes, not {tlv.Length}.");
        var data = tlv.Data.Span;
        return new ImageDependency(data[0], ImageVersion.Read(data[4..]));
    }

    /// <summary>The TLV's 12 data bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        bytes[0] = ImageId;
        MinimumVersion.Write(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>
    /// imgtool's <c>--dependencies</c> text, read as imgtool's main.py reads it: every
    /// <c>(ID</c> is an image id, every <c>, VERSION)</c> a version, paired in order
    /// (<c>"(0,1.5.0+0)"</c>, <c>"(0, 1.5.0), (1, 2.0.0)"</c>).
    /// </summary>
    /// <exception cref="FormatException">No image id, ids and versions not paired, a bad version, or an id over 255.</exception>
    public static IReadOnlyList<ImageDependency> ParseList(string text)
    {
        var ids = IdText().Matches(text).Select(m => m.Groups[1].Value).ToList();
        if (ids.Count == 0)
            throw new FormatException($"dependencies '{text}' are not of the form \"(image id, version)\", e.g. \"(0,1.5.0+0)\"");
        var versions = VersionText().Matches(text).Select(m => m.Groups[1].Value).ToList();
        if (versions.Count != ids.Count)
            throw new FormatException($"dependencies '{text}' name {ids.Count} image(s) and {versions.Count} version(s)");
        return ids.Zip(versions, (id, version) =>
        {
            if (!byte.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var imageId))
                throw new FormatException($"dependencies '{text}': image id {id} does not fit MCUboot's u8");
            return new ImageDependency(imageId, ImageVersion.Parse(version));
        }).ToList();
    }

    [GeneratedRegex(@"\(([0-9]+)")]
    private static partial Regex IdText();

    [GeneratedRegex(@",\s*([0-9.+]+)\)")]
    private static partial Regex VersionText();

    /// <summary>imgtool's form: <c>(0, 1.5.0+0)</c>.</summary>
    public override string ToString() => $"({ImageId}, {MinimumVersion})";
}
