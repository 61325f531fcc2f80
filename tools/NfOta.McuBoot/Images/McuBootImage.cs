using System.Buffers.Binary;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Images;

/// <summary>
/// An MCUboot image as MCUboot v2.3.0 lays it out: header (padded to its header size), payload,
/// an optional protected TLV area (covered by the image hash), the unprotected TLV area (hash,
/// key hash, signature). Parsing checks the structure only; <see cref="Signing.ImageVerifier"/>
/// checks the hash and the signature. Bytes after the unprotected area (imgtool's <c>--pad</c>)
/// are not part of the image.
/// </summary>
public sealed class McuBootImage
{
    private McuBootImage(ReadOnlyMemory<byte> bytes, ImageHeader header, TlvArea? protectedArea, TlvArea unprotectedArea)
    {
        Bytes = bytes[..(int)unprotectedArea.End];
        Header = header;
        ProtectedArea = protectedArea;
        UnprotectedArea = unprotectedArea;
        Dependencies = ProtectedTlvs.Where(t => t.Type == TlvTypes.Dependency).Select(ImageDependency.Parse).ToList();
        SecurityCounter = ReadSecurityCounter(ProtectedTlvs);
    }

    public ImageHeader Header { get; }

    /// <summary>The protected TLV area (magic 0x6908), or null when the header declares none.</summary>
    public TlvArea? ProtectedArea { get; }

    /// <summary>The unprotected TLV area (magic 0x6907).</summary>
    public TlvArea UnprotectedArea { get; }

    /// <summary>The image, from its header to the end of its unprotected TLV area.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Length => Bytes.Length;

    public IReadOnlyList<Tlv> ProtectedTlvs => ProtectedArea?.Entries ?? [];

    public IReadOnlyList<Tlv> UnprotectedTlvs => UnprotectedArea.Entries;

    /// <summary>Every TLV in the order MCUboot walks them: protected, then unprotected.</summary>
    public IEnumerable<Tlv> AllTlvs => ProtectedTlvs.Concat(UnprotectedTlvs);

    /// <summary>Dependencies from the protected area (MCUboot ignores unprotected ones).</summary>
    public IReadOnlyList<ImageDependency> Dependencies { get; }

    /// <summary>The protected security counter (0x50), if any.</summary>
    public uint? SecurityCounter { get; }

    /// <summary>What the image hash covers: header, payload and protected TLV area.</summary>
    public ReadOnlyMemory<byte> HashedRegion => Bytes[..(int)Header.HashedLength];

    /// <summary>Reads an image from the start of <paramref name="bytes"/>.</summary>
    /// <exception cref="McuBootFormatException">The bytes are not a well-formed MCUboot image.</exception>
    public static McuBootImage Parse(ReadOnlyMemory<byte> bytes)
    {
        var header = ImageHeader.Parse(bytes.Span);
        var protectedArea = ParseProtectedArea(bytes, header);
        var unprotectedArea = TlvArea.Parse(bytes, header.HashedLength, TlvTypes.InfoMagic, McuBootError.McubootTlvInfoMagic);
        return new McuBootImage(bytes, header, protectedArea, unprotectedArea);
    }

    private static TlvArea? ParseProtectedArea(ReadOnlyMemory<byte> bytes, ImageHeader header)
    {
        if (header.ProtectedTlvSize == 0)
        {
            if (TlvArea.PeekMagic(bytes, header.PayloadEnd) == TlvTypes.ProtectedInfoMagic)
                throw Mismatch("the header declares no protected TLVs, but a protected area follows the payload");
            return null;
        }
        var area = TlvArea.Parse(bytes, header.PayloadEnd, TlvTypes.ProtectedInfoMagic, McuBootError.McubootProtectedTlvMismatch);
        if (area.TotalLength != header.ProtectedTlvSize)
            throw Mismatch($"the header declares {header.ProtectedTlvSize} bytes of protected TLVs, the area {area.TotalLength}");
        return area;
    }

    private static uint? ReadSecurityCounter(IReadOnlyList<Tlv> protectedTlvs)
    {
        var tlv = protectedTlvs.FirstOrDefault(t => t.Type == TlvTypes.SecurityCounter);
        if (tlv is null) return null;
        if (tlv.Length != 4)
            throw new McuBootFormatException(McuBootError.McubootSecurityCounterLength, $"A security counter TLV holds 4 bytes, not {tlv.Length}.");
        return BinaryPrimitives.ReadUInt32LittleEndian(tlv.Data.Span);
    }

    private static McuBootFormatException Mismatch(string what) =>
        new(McuBootError.McubootProtectedTlvMismatch, $"Protected TLVs: {what}.");
}
