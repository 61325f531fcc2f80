using System.Buffers.Binary;
using NfOta.McuBoot.Errors;

namespace NfOta.McuBoot.Tlvs;

/// <summary>
/// A TLV area: a 4-byte info (u16 magic, u16 total length including the info itself), then TLVs
/// that fill the total exactly.
/// </summary>
public sealed record TlvArea(ushort Magic, int Offset, int TotalLength, IReadOnlyList<Tlv> Entries)
{
    /// <summary>The info that opens the area.</summary>
    public const int InfoSize = 4;

    /// <summary>The first byte after the area.</summary>
    public long End => Offset + (long)TotalLength;

    /// <summary>Reads the magic at <paramref name="offset"/>, or null when the image ends before it.</summary>
    public static ushort? PeekMagic(ReadOnlyMemory<byte> image, long offset) =>
        offset + InfoSize <= image.Length ? BinaryPrimitives.ReadUInt16LittleEndian(image.Span[(int)offset..]) : null;

    /// <summary>Reads the area at <paramref name="offset"/>, which must open with <paramref name="magic"/>.</summary>
    /// <param name="wrongMagic">The error when another magic is there.</param>
    public static TlvArea Parse(ReadOnlyMemory<byte> image, long offset, ushort magic, McuBootError wrongMagic)
    {
        var found = PeekMagic(image, offset)
            ?? throw Truncated(image, offset + InfoSize, "a TLV area's info");
        if (found != magic)
            throw new McuBootFormatException(wrongMagic, $"TLV area at 0x{offset:x}: magic 0x{found:x4}, not 0x{magic:x4}.");
        int total = BinaryPrimitives.ReadUInt16LittleEndian(image.Span[((int)offset + 2)..]);
        if (total < InfoSize)
            throw new McuBootFormatException(McuBootError.McubootTlvOverrun, $"TLV area at 0x{offset:x}: total {total} is smaller than its own info.");
        if (offset + total > image.Length)
            throw Truncated(image, offset + total, "the TLV area");
        return new TlvArea(magic, (int)offset, total, ReadEntries(image, (int)offset, total));
    }

    private static List<Tlv> ReadEntries(ReadOnlyMemory<byte> image, int offset, int total)
    {
        var entries = new List<Tlv>();
        var position = offset + InfoSize;
        var end = offset + total;
        while (position < end)
        {
            if (position + Tlv.HeaderSize > end)
                throw Overrun(position, end);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(image.Span[position..]);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(image.Span[(position + 2)..]);
            var data = position + Tlv.HeaderSize;
            if (data + length > end)
                throw Overrun(position, end);
            entries.Add(new Tlv(type, data, image.Slice(data, length)));
            position = data + length;
        }
        return entries;
    }

    private static McuBootFormatException Overrun(int position, int end) =>
        new(McuBootError.McubootTlvOverrun, $"The TLV at 0x{position:x} runs past its area's end at 0x{end:x}.");

    private static McuBootFormatException Truncated(ReadOnlyMemory<byte> image, long needed, string what) =>
        new(McuBootError.McubootTruncated, $"The image ends at {image.Length} bytes; {what} needs {needed}.");
}
