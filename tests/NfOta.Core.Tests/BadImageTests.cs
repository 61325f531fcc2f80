using System.Security.Cryptography;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>
/// Bad images on a board with flash encryption and secure boot v2: each one refused with its named
/// error, the running firmware and otadata untouched (raw flash compared), no handle left open.
/// "Signed manifest" cases model a broken build released with a valid manifest, so ESP-IDF's own
/// checks (esp_ota_write, esp_ota_end with secure boot) must be the ones that refuse it.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class BadImageTests
{
    public static TheoryData<string> Chips() => new(["esp32", "esp32c3"]);

    private static OtaException Install(EspChip chip, byte[] image, byte[]? manifestImage = null)
    {
        var board = Boards.Secured(chip);
        using var session = NfOta.NativeHost.NativeHost.Attach(board);
        using var key = ManifestKey.Create();
        var described = manifestImage ?? image;
        var manifest = SignedManifest.Create(key, chip.Name, "2.0.0", 0, described.Length, SHA256.HashData(described), MemorySource.ImageUrl, null);
        var updater = new OtaUpdater(new MemorySource(manifest, image), key.PublicKeyBytes(), new UpdateOptions()) { Reboot = () => Assert.Fail("must not reboot") };
        var before = UpdateRig.RawState(board);
        var e = Assert.Throws<OtaException>(() => updater.Update(MemorySource.ManifestUrl));
        Assert.Equal(before, UpdateRig.RawState(board));
        Assert.Equal(0, session.OpenNativeHandles);
        Assert.Equal("ota_0", board.Restart().Partition!.Name);
        Assert.Equal("1.0.0", board.RunningVersion());
        return e;
    }

    private static byte[] Good(EspChip chip) => Boards.Image(chip, "2.0.0");

    /// <summary>Offsets across the header, segment headers and data, the app description, the appended hash and the signature block.</summary>
    public static IEnumerable<object[]> Flips()
    {
        foreach (var chip in new[] { "esp32", "esp32c3" })
        {
            var image = Good(EspChip.Parse(chip));
            var parsed = AppImage.Parse(image);
            var sector = parsed.SignatureSectorOffset;
            var spots = new (string Where, int Offset)[]
            {
                ("header: segment count", 1),
                ("header: chip id", 12),
                ("header: hash-appended flag", 23),
                ("first segment header: load address", 24),
                ("app description: version", AppDescription.ImageOffset + 16),
                ("app description: secure_version", AppDescription.ImageOffset + 4),
                ("segment data, early", 1000),
                ("segment data, middle", parsed.Length / 2),
                ("checksum byte", parsed.ChecksumOffset),
                ("appended SHA-256", parsed.Length - 10),
                ("padding before the signature sector", sector - 1),
                ("signature block: magic", sector),
                ("signature block: image digest", sector + 4 + 10),
                ("signature block: public key", sector + 36 + 100),
                ("signature block: signature", sector + 36 + 800),
                ("signature block: CRC", sector + 1196),
            };
            foreach (var (where, offset) in spots)
            {
                yield return [chip, where, offset];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Flips))]
    public void AFlippedByteIsRefused(string chipName, string where, int offset)
    {
        var chip = EspChip.Parse(chipName);
        var image = Good(chip);
        image[offset] ^= 0x01;

        // Released with a manifest for the flipped bytes: ESP-IDF itself must refuse the image.
        var rejected = Install(chip, image);
        Assert.True(rejected.Error == OtaError.ImageRejected, $"flipped {where} (byte {offset}): {rejected.Error}, {rejected.Message}");
        Assert.Equal(NativeOtaStatus.ImageInvalid, rejected.NativeStatus);

        // The real manifest with corrupted bytes in transit: the engine's SHA-256 check refuses it first.
        var corrupted = Install(chip, image, manifestImage: Good(chip));
        Assert.Equal(OtaError.HashMismatch, corrupted.Error);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void TruncatedImages(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var good = Good(chip);
        var parsed = AppImage.Parse(good);
        // Cut inside the header, a segment, the appended hash, before and inside the signature block.
        // (Cutting the signature sector's trailing 0xFF padding is no corruption: erased flash reads 0xFF.)
        foreach (var length in new[] { 16, 24, 1000, good.Length / 2, parsed.Length - 1, parsed.SignatureSectorOffset, parsed.SignatureSectorOffset + 600 })
        {
            var e = Install(chip, good[..length]);
            Assert.True(e.Error == OtaError.ImageRejected, $"{length}: {e}");
        }
        Assert.Equal(OtaError.SizeMismatch, Install(chip, good[..(good.Length / 2)], manifestImage: good).Error);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void WrongMagicIsRefusedAtTheFirstWrite(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var image = Good(chip);
        image[0] = 0xE8;
        var e = Install(chip, image);
        Assert.Equal(OtaError.ImageRejected, e.Error);
        Assert.Contains("writing the image at byte 0", e.Message);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void MissingOrForeignSecureBootSignatureIsRefused(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var unsigned = NfOta.Esp32.Tests.TestImages.Build(chip, "2.0.0", codeBytes: 20_000, seed: 5);
        Assert.Equal(OtaError.ImageRejected, Install(chip, unsigned).Error);
        var foreign = SecureBootV2.Sign(unsigned, Boards.OtherKey);
        Assert.Equal(OtaError.ImageRejected, Install(chip, foreign).Error);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AnImageForAnotherChipIsRefusedByTheEngineAndByEspIdf(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var other = chip == EspChip.Esp32 ? EspChip.Esp32C3 : EspChip.Esp32;
        var image = Boards.Image(other, "2.0.0");
        // The manifest claims this board's chip (a mislabelled release): ESP-IDF checks the header's chip id.
        Assert.Equal(OtaError.ImageRejected, Install(chip, image).Error);
    }
}
