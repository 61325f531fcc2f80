using System.Buffers.Binary;
using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Images;

/// <summary>
/// A verified ESP32 app image: its header, segments, checksum, appended SHA-256 and app
/// description. <see cref="Parse"/> applies the checks of ESP-IDF's <c>esp_image_verify</c>
/// (esp_image_format.c) in the same order, each failure with its own <see cref="FormatError"/>.
/// Secure boot signatures are checked separately (<see cref="SecureBoot.SecureBootV2"/>).
/// </summary>
public sealed class AppImage
{
    private const uint SixteenMegabytes = 0x1000000;
    private const byte ChecksumSeed = 0xEF;

    private AppImage(ImageHeader header, IReadOnlyList<ImageSegment> segments, int checksumOffset, int length,
        byte[]? appendedHash, byte[] computedHash, AppDescription? description)
    {
        Header = header;
        Segments = segments;
        ChecksumOffset = checksumOffset;
        Length = length;
        AppendedHash = appendedHash;
        ComputedHash = computedHash;
        Description = description;
    }

    public ImageHeader Header { get; }

    public IReadOnlyList<ImageSegment> Segments { get; }

    /// <summary>Offset of the XOR checksum byte (the last byte of the 16-byte aligned body).</summary>
    public int ChecksumOffset { get; }

    /// <summary>Image length as ESP-IDF counts it: body, checksum padding and the appended hash if any.</summary>
    public int Length { get; }

    /// <summary>The SHA-256 stored after the checksum, when <see cref="ImageHeader.HashAppended"/>.</summary>
    public byte[]? AppendedHash { get; }

    /// <summary>SHA-256 of the image from its first byte through the checksum.</summary>
    public byte[] ComputedHash { get; }

    public AppDescription? Description { get; }

    /// <summary>What <c>esp_partition_get_sha256</c> reports: the appended hash, or a hash of the whole image.</summary>
    public byte[] Digest => AppendedHash ?? ComputedHash;

    /// <summary>Where a secure boot v2 signature sector goes: the image end rounded up to 4 KiB.</summary>
    public int SignatureSectorOffset => (Length + 0xFFF) & ~0xFFF;

    /// <summary>Bytes the image occupies in flash when signed (image, 0xFF padding, 4 KiB signature sector).</summary>
    public int SignedLength => SignatureSectorOffset + SecureBoot.SignatureSector.Size;

    /// <summary>The chip the header names, or null for a chip id nf-ota does not know.</summary>
    public EspChip? Chip => EspChip.FromChipId(Header.ChipId);

    /// <summary>The description, or an error saying it is missing (OTA and anti-rollback need it).</summary>
    public AppDescription RequireDescription() =>
        Description ?? throw new Esp32FormatException(FormatError.ImageAppDescMissing,
            $"image has no esp_app_desc_t (magic 0x{AppDescription.MagicWord:X8}) at offset {AppDescription.ImageOffset}; was it built with ESP-IDF?");

    /// <summary>
    /// Parses and verifies an image that starts at <paramref name="data"/>[0]. Trailing bytes
    /// (partition padding, a signature sector) are allowed.
    /// </summary>
    /// <param name="expectedChip">The chip the image must be for; null accepts any chip id.</param>
    /// <param name="chipRevision">The chip's revision (major × 100 + minor), checked against the header's range.</param>
    public static AppImage Parse(ReadOnlySpan<byte> data, EspChip? expectedChip = null, int? chipRevision = null)
    {
        if (data.Length < ImageHeader.Size)
        {
            throw new Esp32FormatException(FormatError.ImageTruncated,
                $"image is {data.Length} bytes, shorter than its {ImageHeader.Size}-byte header");
        }
        var header = ImageHeader.Parse(data);
        if (header.MagicByte != ImageHeader.Magic)
        {
            throw new Esp32FormatException(FormatError.ImageBadMagic,
                $"image starts with 0x{header.MagicByte:X2}, not the image magic 0xE9 (nothing flashed here, or still encrypted?)");
        }
        if (expectedChip is not null && header.ChipId != expectedChip.ChipId)
        {
            throw new Esp32FormatException(FormatError.ImageChipMismatch,
                $"image is for {EspChip.DescribeChipId(header.ChipId)} but this board is {expectedChip.DisplayName} (id {expectedChip.ChipId})");
        }
        if (chipRevision is { } revision)
        {
            if (revision < header.MinChipRevisionFull)
            {
                throw new Esp32FormatException(FormatError.ImageChipMismatch,
                    $"image requires chip revision >= v{header.MinChipRevisionFull / 100}.{header.MinChipRevisionFull % 100}, but the chip is v{revision / 100}.{revision % 100}");
            }
            var max = header.MaxChipRevisionFull;
            if (max != 0 && max != ImageHeader.NoMaxChipRevision && revision > max)
            {
                throw new Esp32FormatException(FormatError.ImageChipMismatch,
                    $"image requires chip revision <= v{max / 100}.{max % 100}, but the chip is v{revision / 100}.{revision % 100}");
            }
        }
        if (header.SegmentCount > ImageHeader.MaxSegments)
        {
            throw new Esp32FormatException(FormatError.ImageTooManySegments,
                $"image header says {header.SegmentCount} segments; ESP-IDF allows at most {ImageHeader.MaxSegments}");
        }

        var mapper = expectedChip ?? EspChip.FromChipId(header.ChipId);
        var segments = new List<ImageSegment>(header.SegmentCount);
        var checksum = ChecksumSeed;
        var position = ImageHeader.Size;
        for (var i = 0; i < header.SegmentCount; i++)
        {
            if (data.Length - position < ImageSegment.HeaderSize)
            {
                throw new Esp32FormatException(FormatError.ImageTruncated,
                    $"image ends at byte {data.Length} inside the header of segment {i}");
            }
            var load = BinaryPrimitives.ReadUInt32LittleEndian(data[position..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            var dataOffset = position + ImageSegment.HeaderSize;
            if (length % 4 != 0 || length >= SixteenMegabytes)
            {
                throw new Esp32FormatException(FormatError.ImageSegmentLength,
                    $"segment {i} has invalid length 0x{length:X} (must be a multiple of 4 and below 16 MiB)");
            }
            if (mapper is not null && mapper.IsMapped(load) && (uint)dataOffset % mapper.MmuPageSize != load % mapper.MmuPageSize)
            {
                throw new Esp32FormatException(FormatError.ImageSegmentMisaligned,
                    $"segment {i} loads at 0x{load:X8} but its data is at image offset 0x{dataOffset:X}; flash-mapped segments must agree modulo 0x{mapper.MmuPageSize:X}");
            }
            if (length > (uint)(data.Length - dataOffset))
            {
                throw new Esp32FormatException(FormatError.ImageTruncated,
                    $"segment {i} needs {length} bytes at offset 0x{dataOffset:X}, but the image ends at 0x{data.Length:X}");
            }
            foreach (var b in data.Slice(dataOffset, (int)length)) checksum ^= b;
            segments.Add(new ImageSegment(load, length, dataOffset));
            position = dataOffset + (int)length;
        }

        // The checksum byte ends the body, which is padded so that body + checksum is a multiple of 16.
        var bodyEnd = (position + 1 + 15) & ~15;
        var checksumOffset = bodyEnd - 1;
        if (data.Length < bodyEnd)
        {
            throw new Esp32FormatException(FormatError.ImageTruncated,
                $"image ends at byte {data.Length} before its checksum at offset 0x{checksumOffset:X}");
        }
        if (data[checksumOffset] != checksum)
        {
            throw new Esp32FormatException(FormatError.ImageChecksumMismatch,
                $"image checksum is 0x{data[checksumOffset]:X2} but the segments add up to 0x{checksum:X2}: the image is corrupt");
        }

        var computedHash = SHA256.HashData(data[..bodyEnd]);
        byte[]? appendedHash = null;
        var imageLength = bodyEnd;
        if (header.HashAppended)
        {
            if (data.Length < bodyEnd + 32)
            {
                throw new Esp32FormatException(FormatError.ImageTruncated,
                    $"image ends at byte {data.Length} before its appended SHA-256 at offset 0x{bodyEnd:X}");
            }
            appendedHash = data.Slice(bodyEnd, 32).ToArray();
            if (!appendedHash.AsSpan().SequenceEqual(computedHash))
            {
                throw new Esp32FormatException(FormatError.ImageHashMismatch,
                    $"image SHA-256 is {Convert.ToHexStringLower(computedHash)} but the image says {Convert.ToHexStringLower(appendedHash)}: the image is corrupt");
            }
            imageLength += 32;
        }

        AppDescription? description = null;
        if (segments.Count > 0 && segments[0].Length >= AppDescription.Size)
        {
            description = AppDescription.TryParse(data.Slice(segments[0].DataOffset, AppDescription.Size));
        }
        return new AppImage(header, segments, checksumOffset, imageLength, appendedHash, computedHash, description);
    }

    /// <summary>
    /// ESP-IDF's last check (<c>process_appended_hash_and_sig</c>): the image, and the signature
    /// sector when secure boot is on, must fit in the partition.
    /// </summary>
    public void EnsureFits(uint partitionSize, bool signed)
    {
        var needed = (long)(signed ? SignedLength : Length);
        if (needed > partitionSize)
        {
            throw new Esp32FormatException(FormatError.ImageTooLargeForPartition,
                $"image needs {needed} bytes{(signed ? " with its signature sector" : "")} but the partition holds {partitionSize}");
        }
    }
}
