using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;

namespace NfOta.Esp32.Tests;

public class AppImageTests
{
    public static TheoryData<string> Chips() => new(EspChip.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Chips))]
    public void BuiltImageVerifiesAndDescribesItself(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var bytes = TestImages.Build(chip, version: "2.3.4", secureVersion: 7);
        var image = AppImage.Parse(bytes, chip);
        Assert.Equal(bytes.Length, image.Length);
        Assert.Equal(chip.ChipId, image.Header.ChipId);
        Assert.Equal(chip, image.Chip);
        Assert.Equal("2.3.4", image.Description!.Version);
        Assert.Equal(7u, image.Description.SecureVersion);
        Assert.Equal("nf-ota-test", image.Description.ProjectName);
        Assert.Equal("v5.3.1", image.Description.IdfVersion);
        Assert.Equal(image.ComputedHash, image.AppendedHash);
        Assert.Equal(bytes[^32..], image.Digest);
        Assert.Equal(0, (image.ChecksumOffset + 1) % 16);
        foreach (var segment in image.Segments.Where(s => chip.IsMapped(s.LoadAddress)))
        {
            Assert.Equal(segment.LoadAddress % 0x10000, (uint)segment.DataOffset % 0x10000);
        }
    }

    [Fact]
    public void ImageWithoutHashHasComputedDigest()
    {
        var bytes = TestImages.Build(EspChip.Esp32, appendHash: false);
        var image = AppImage.Parse(bytes);
        Assert.Null(image.AppendedHash);
        Assert.Equal(bytes.Length, image.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), image.Digest);
    }

    [Fact]
    public void TrailingBytesAreAllowed()
    {
        var bytes = TestImages.Build(EspChip.Esp32C3);
        var padded = bytes.Concat(Enumerable.Repeat((byte)0xFF, 5000)).ToArray();
        Assert.Equal(bytes.Length, AppImage.Parse(padded).Length);
    }

    [Fact]
    public void WrongMagicIsNamed()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        bytes[0] = 0xE8;
        Assert.Equal(FormatError.ImageBadMagic, Error(bytes));
    }

    [Fact]
    public void WrongChipMessageNamesBothChips()
    {
        var bytes = TestImages.Build(EspChip.Esp32C3);
        var e = Assert.Throws<Esp32FormatException>(() => AppImage.Parse(bytes, EspChip.Esp32));
        Assert.Equal(FormatError.ImageChipMismatch, e.Error);
        Assert.Equal("image is for ESP32-C3 (id 5) but this board is ESP32 (id 0)", e.Message);
    }

    [Fact]
    public void ChipRevisionRangeIsChecked()
    {
        var builder = new AppImageBuilder(EspChip.Esp32C3) { MinChipRevisionFull = 3, MaxChipRevisionFull = 199 };
        builder.AddSegment(EspChip.Esp32C3.Drom.Start + 0x20, new byte[64]);
        var bytes = builder.Build();
        AppImage.Parse(bytes, EspChip.Esp32C3, chipRevision: 4);
        Assert.Equal(FormatError.ImageChipMismatch, Error(bytes, chipRevision: 2));
        Assert.Equal(FormatError.ImageChipMismatch, Error(bytes, chipRevision: 200));
    }

    [Fact]
    public void TruncationAtEveryStageIsNamed()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        var image = AppImage.Parse(bytes);
        foreach (var cut in new[] { 0, 10, 24, 28, image.Segments[1].DataOffset + 3, image.ChecksumOffset, bytes.Length - 1 })
        {
            Assert.Equal(FormatError.ImageTruncated, Error(bytes[..cut]));
        }
    }

    [Fact]
    public void FlippedSegmentByteFailsTheChecksum()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        var image = AppImage.Parse(bytes);
        bytes[image.Segments[1].DataOffset + 100] ^= 0x40;
        Assert.Equal(FormatError.ImageChecksumMismatch, Error(bytes));
    }

    [Fact]
    public void FlippedChecksumByteIsDetected()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        bytes[AppImage.Parse(bytes).ChecksumOffset] ^= 0x01;
        Assert.Equal(FormatError.ImageChecksumMismatch, Error(bytes));
    }

    [Fact]
    public void FlippedHeaderByteFailsTheHash()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        bytes[4] ^= 0x01; // entry address: not covered by the checksum, covered by the hash
        Assert.Equal(FormatError.ImageHashMismatch, Error(bytes));
    }

    [Fact]
    public void FlippedHashByteIsDetected()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        bytes[^5] ^= 0x01;
        Assert.Equal(FormatError.ImageHashMismatch, Error(bytes));
    }

    [Fact]
    public void TooManySegmentsAreRefused()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        bytes[1] = 17;
        Assert.Equal(FormatError.ImageTooManySegments, Error(bytes));
    }

    [Fact]
    public void UnalignedSegmentLengthIsRefused()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        var image = AppImage.Parse(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(image.Segments[0].HeaderOffset + 4), image.Segments[0].Length + 2);
        Assert.Equal(FormatError.ImageSegmentLength, Error(bytes));
    }

    [Fact]
    public void MisplacedMappedSegmentIsRefused()
    {
        var bytes = TestImages.Build(EspChip.Esp32);
        var image = AppImage.Parse(bytes);
        var irom = image.Segments.First(s => EspChip.Esp32.Irom.Contains(s.LoadAddress));
        BitConverter.TryWriteBytes(bytes.AsSpan(irom.HeaderOffset), irom.LoadAddress + 4);
        Assert.Equal(FormatError.ImageSegmentMisaligned, Error(bytes));
    }

    [Fact]
    public void ImageMustFitItsPartition()
    {
        var image = AppImage.Parse(TestImages.Build(EspChip.Esp32, codeBytes: 100_000));
        image.EnsureFits((uint)image.Length, signed: false);
        var e = Assert.Throws<Esp32FormatException>(() => image.EnsureFits((uint)image.Length - 1, signed: false));
        Assert.Equal(FormatError.ImageTooLargeForPartition, e.Error);
        image.EnsureFits((uint)image.SignedLength, signed: true);
        e = Assert.Throws<Esp32FormatException>(() => image.EnsureFits((uint)image.Length, signed: true));
        Assert.Contains("signature sector", e.Message);
        Assert.Equal(image.SignatureSectorOffset + 4096, image.SignedLength);
        Assert.Equal(0, image.SignatureSectorOffset % 4096);
    }

    [Fact]
    public void MissingDescriptionIsReported()
    {
        var builder = new AppImageBuilder(EspChip.Esp32);
        builder.AddSegment(EspChip.Esp32.Drom.Start + 0x20, new byte[300]);
        var image = AppImage.Parse(builder.Build());
        Assert.Null(image.Description);
        var e = Assert.Throws<Esp32FormatException>(() => image.RequireDescription());
        Assert.Equal(FormatError.ImageAppDescMissing, e.Error);
    }

    [Fact]
    public void OverlongVersionIsRefusedWhenBuilding()
    {
        var builder = new AppImageBuilder(EspChip.Esp32) { Description = new AppDescription { Version = new string('9', 33) } };
        var e = Assert.Throws<Esp32FormatException>(() => builder.Build());
        Assert.Equal(FormatError.ImageBuild, e.Error);
    }

    [Fact]
    public void RandomBytesNeverThrowAnythingButFormatErrors()
    {
        var random = new Random(99);
        var good = TestImages.Build(EspChip.Esp32);
        for (var i = 0; i < 3000; i++)
        {
            var data = (byte[])good.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) data[random.Next(data.Length)] = (byte)random.Next(256);
            try
            {
                AppImage.Parse(data.AsSpan(0, random.Next(data.Length + 1)), EspChip.Esp32);
            }
            catch (Esp32FormatException)
            {
            }
        }
    }

    private static FormatError Error(byte[] bytes, int? chipRevision = null) =>
        Assert.Throws<Esp32FormatException>(() => AppImage.Parse(bytes, chipRevision: chipRevision)).Error;
}
