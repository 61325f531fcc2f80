using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Images;

/// <summary>
/// Builds a valid app image from segments, as esptool's elf2image lays it out: the app
/// description first in the DROM segment, padding segments so that every flash-mapped segment
/// sits at the same offset modulo the 64 KiB MMU page as its load address, the XOR checksum,
/// and the appended SHA-256. Used by tests, the emulator and the demo to make real-looking firmware.
/// </summary>
public sealed class AppImageBuilder
{
    private readonly List<(uint Load, byte[] Data)> _segments = [];

    public AppImageBuilder(EspChip chip) => Chip = chip;

    public EspChip Chip { get; }

    /// <summary>Written at the start of the first DROM segment when set.</summary>
    public AppDescription? Description { get; set; }

    public uint EntryAddress { get; set; }

    public bool AppendHash { get; set; } = true;

    public ushort MinChipRevisionFull { get; set; }

    public ushort MaxChipRevisionFull { get; set; } = ImageHeader.NoMaxChipRevision;

    /// <summary>Adds a segment; data is padded with zeros to a multiple of 4 bytes.</summary>
    public AppImageBuilder AddSegment(uint loadAddress, ReadOnlySpan<byte> data)
    {
        if (loadAddress % 4 != 0)
        {
            throw new Esp32FormatException(FormatError.ImageBuild, $"segment load address 0x{loadAddress:X8} is not 4-byte aligned");
        }
        var padded = new byte[(data.Length + 3) & ~3];
        data.CopyTo(padded);
        _segments.Add((loadAddress, padded));
        return this;
    }

    public byte[] Build()
    {
        var segments = new List<(uint Load, byte[] Data)>(_segments);
        if (Description is not null)
        {
            // esp_app_desc_t must open the first segment, and ESP-IDF links it into DROM.
            var first = segments.FindIndex(s => Chip.Drom.Contains(s.Load));
            var desc = Description.ToBytes();
            if (first < 0)
            {
                segments.Insert(0, (Chip.Drom.Start + AppDescription.ImageOffset, desc));
            }
            else
            {
                var (load, data) = segments[first];
                segments.RemoveAt(first);
                segments.Insert(0, (load, [.. desc, .. data]));
            }
        }

        using var image = new MemoryStream();
        image.Write(new byte[ImageHeader.Size]);
        var count = 0;
        var checksum = (byte)0xEF;
        foreach (var (load, data) in segments)
        {
            if (Chip.IsMapped(load))
            {
                var page = Chip.MmuPageSize;
                var dataOffset = image.Length + ImageSegment.HeaderSize;
                if ((uint)dataOffset % page != load % page)
                {
                    // A padding segment (load address 0: neither loaded nor mapped) shifts the data into place.
                    var padding = (int)((load % page - (image.Length + 2 * ImageSegment.HeaderSize) % page + page) % page);
                    WriteSegment(image, 0, new byte[padding]);
                    count++;
                }
            }
            WriteSegment(image, load, data);
            foreach (var b in data) checksum ^= b;
            count++;
        }
        if (count > ImageHeader.MaxSegments)
        {
            throw new Esp32FormatException(FormatError.ImageBuild,
                $"the image needs {count} segments including padding; ESP-IDF allows at most {ImageHeader.MaxSegments}");
        }

        var bodyEnd = (image.Length + 1 + 15) & ~15L;
        image.Write(new byte[bodyEnd - 1 - image.Length]);
        image.WriteByte(checksum);

        var header = new ImageHeader
        {
            SegmentCount = (byte)count,
            EntryAddress = EntryAddress,
            ChipId = Chip.ChipId,
            MinChipRevisionFull = MinChipRevisionFull,
            MaxChipRevisionFull = MaxChipRevisionFull,
            HashAppended = AppendHash,
        };
        var bytes = image.ToArray();
        header.WriteTo(bytes);
        return AppendHash ? [.. bytes, .. SHA256.HashData(bytes)] : bytes;
    }

    private static void WriteSegment(MemoryStream image, uint load, byte[] data)
    {
        Span<byte> header = stackalloc byte[ImageSegment.HeaderSize];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, load);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)data.Length);
        image.Write(header);
        image.Write(data);
    }
}
