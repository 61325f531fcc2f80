using System.Buffers.Binary;
using NfOta.McuBoot.Errors;

namespace NfOta.McuBoot.Images;

/// <summary>
/// MCUboot's 32-byte image header (struct image_header), little-endian. The payload starts at
/// <see cref="HeaderSize"/>, which imgtool's <c>--header-size</c> sets (the header is padded).
/// </summary>
public sealed record ImageHeader(
    uint LoadAddress,
    ushort HeaderSize,
    ushort ProtectedTlvSize,
    uint ImageSize,
    uint Flags,
    ImageVersion Version)
{
    /// <summary>IMAGE_MAGIC.</summary>
    public const uint Magic = 0x96f3b83d;

    /// <summary>IMAGE_HEADER_SIZE: the structure itself; <see cref="HeaderSize"/> is at least this.</summary>
    public const int StructSize = 32;

    /// <summary>Where the protected TLV area (or, without one, the unprotected area) starts.</summary>
    public long PayloadEnd => HeaderSize + (long)ImageSize;

    /// <summary>The bytes the image hash covers: header, payload and protected TLV area.</summary>
    public long HashedLength => PayloadEnd + ProtectedTlvSize;

    /// <summary>Reads the header at the start of an image.</summary>
    /// <exception cref="McuBootFormatException">Too short, wrong magic, or a header size under 32.</exception>
    public static ImageHeader Parse(ReadOnlySpan<byte> image)
    {
        if (image.Length < StructSize)
            throw new McuBootFormatException(McuBootError.McubootTruncated, $"{image.Length} bytes: an MCUboot header takes {StructSize}.");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(image);
        if (magic != Magic)
            throw new McuBootFormatException(McuBootError.McubootBadMagic, $"Image magic 0x{magic:x8}, not 0x{Magic:x8}: not an MCUboot image.");
        var header = new ImageHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(image[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(image[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(image[10..]),
            BinaryPrimitives.ReadUInt32LittleEndian(image[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(image[16..]),
            ImageVersion.Read(image[20..]));
        if (header.HeaderSize < StructSize)
            throw new McuBootFormatException(McuBootError.McubootHeaderSize, $"Header size {header.HeaderSize} is smaller than the {StructSize}-byte header.");
        return header;
    }
}
