using System.Buffers.Binary;

namespace NfOta.Esp32.Images;

/// <summary><c>esp_image_header_t</c>: the 24 bytes at the start of every ESP32 app and bootloader image.</summary>
public sealed record ImageHeader
{
    public const int Size = 24;
    public const byte Magic = 0xE9;
    public const int MaxSegments = 16;

    /// <summary>The value meaning "no maximum chip revision set".</summary>
    public const ushort NoMaxChipRevision = 0xFFFF;

    public byte MagicByte { get; init; } = Magic;
    public byte SegmentCount { get; init; }
    /// <summary>0 QIO, 1 QOUT, 2 DIO, 3 DOUT.</summary>
    public byte SpiMode { get; init; } = 2;
    /// <summary>Low nibble of byte 3.</summary>
    public byte SpiSpeed { get; init; }
    /// <summary>High nibble of byte 3: 0 = 1 MB, 1 = 2 MB, 2 = 4 MB, 3 = 8 MB, 4 = 16 MB.</summary>
    public byte SpiSize { get; init; } = 2;
    public uint EntryAddress { get; init; }
    public byte WpPin { get; init; } = 0xEE;
    public byte SpiPinDrive0 { get; init; }
    public byte SpiPinDrive1 { get; init; }
    public byte SpiPinDrive2 { get; init; }
    public ushort ChipId { get; init; }
    public byte MinChipRevision { get; init; }
    /// <summary>major × 100 + minor.</summary>
    public ushort MinChipRevisionFull { get; init; }
    public ushort MaxChipRevisionFull { get; init; } = NoMaxChipRevision;
    public uint Reserved { get; init; }
    public bool HashAppended { get; init; } = true;

    public static ImageHeader Parse(ReadOnlySpan<byte> raw) => new()
    {
        MagicByte = raw[0],
        SegmentCount = raw[1],
        SpiMode = raw[2],
        SpiSpeed = (byte)(raw[3] & 0x0F),
        SpiSize = (byte)(raw[3] >> 4),
        EntryAddress = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]),
        WpPin = raw[8],
        SpiPinDrive0 = raw[9],
        SpiPinDrive1 = raw[10],
        SpiPinDrive2 = raw[11],
        ChipId = BinaryPrimitives.ReadUInt16LittleEndian(raw[12..]),
        MinChipRevision = raw[14],
        MinChipRevisionFull = BinaryPrimitives.ReadUInt16LittleEndian(raw[15..]),
        MaxChipRevisionFull = BinaryPrimitives.ReadUInt16LittleEndian(raw[17..]),
        Reserved = BinaryPrimitives.ReadUInt32LittleEndian(raw[19..]),
        HashAppended = raw[23] == 1,
    };

    public void WriteTo(Span<byte> raw)
    {
        raw[0] = MagicByte;
        raw[1] = SegmentCount;
        raw[2] = SpiMode;
        raw[3] = (byte)((SpiSize << 4) | (SpiSpeed & 0x0F));
        BinaryPrimitives.WriteUInt32LittleEndian(raw[4..], EntryAddress);
        raw[8] = WpPin;
        raw[9] = SpiPinDrive0;
        raw[10] = SpiPinDrive1;
        raw[11] = SpiPinDrive2;
        BinaryPrimitives.WriteUInt16LittleEndian(raw[12..], ChipId);
        raw[14] = MinChipRevision;
        BinaryPrimitives.WriteUInt16LittleEndian(raw[15..], MinChipRevisionFull);
        BinaryPrimitives.WriteUInt16LittleEndian(raw[17..], MaxChipRevisionFull);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[19..], Reserved);
        raw[23] = HashAppended ? (byte)1 : (byte)0;
    }
}
