using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;

namespace NfOta.McuBoot.Tlvs;

/// <summary>
/// A dependency TLV (0x40, struct image_dependency, 12 bytes): the image index it needs (0 is
/// nanoCLR in nanoFramework's layout) and that image's minimum version. imgtool writes it from
/// <c>--dependencies "(id,version)"</c>, in the protected area.
/// </summary>
public sealed record ImageDependency(byte ImageId, ImageVersion MinimumVersion)
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

    /// <summary>imgtool's form: <c>(0, 1.5.0+0)</c>.</summary>
    public override string ToString() => $"({ImageId}, {MinimumVersion})";
}
