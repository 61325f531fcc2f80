using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Tests;

/// <summary>
/// The code a flipped byte must get, by where it is: the magic, bytes only the hash covers
/// (header padding, payload, protected TLV data), the hash, the key hash, the signature. Null
/// for structure (header fields, TLV infos and headers), where any refusal will do.
/// </summary>
public sealed class Regions
{
    private readonly (int Start, int End, string Code)[] _ranges;

    public Regions(McuBootImage image)
    {
        var header = image.Header;
        var ranges = new List<(int, int, string)>
        {
            (0, 4, "mcuboot-bad-magic"),
            (ImageHeader.StructSize, (int)header.PayloadEnd, "mcuboot-hash-mismatch"),
        };
        ranges.AddRange(image.ProtectedTlvs.Select(t => Data(t, "mcuboot-hash-mismatch")));
        ranges.AddRange(image.UnprotectedTlvs.Where(t => t.Type == TlvTypes.Sha256).Select(t => Data(t, "mcuboot-hash-mismatch")));
        ranges.AddRange(image.UnprotectedTlvs.Where(t => t.Type == TlvTypes.KeyHash).Select(t => Data(t, "mcuboot-key-mismatch")));
        ranges.AddRange(image.UnprotectedTlvs.Where(t => t.Type == TlvTypes.EcdsaSignature).Select(t => Data(t, "mcuboot-signature-invalid")));
        _ranges = [.. ranges];
    }

    public string? CodeAt(int offset) => _ranges.Where(r => offset >= r.Start && offset < r.End).Select(r => r.Code).FirstOrDefault();

    /// <summary>True for payload bytes (the bulk of an image), which a test may sample.</summary>
    public static bool IsPayload(McuBootImage image, int offset) => offset >= image.Header.HeaderSize && offset < image.Header.PayloadEnd;

    private static (int, int, string) Data(Tlv tlv, string code) => (tlv.Offset, tlv.Offset + tlv.Length, code);
}
