using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// `secure-boot sign` puts the sector where the bootloader reads it (the image's end rounded up to
/// 4 KiB) even when the file is longer, and `pack` takes only signatures the image's chip verifies.
/// </summary>
public sealed class SignatureWhereTheBootloaderReadsTests
{
    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    [Fact]
    public void AnUnsignedImageWithTrailingPaddingIsSignedAtItsOwnEnd()
    {
        using var dir = new TempDir();
        var image = TestImages.Build(EspChip.Esp32C3, "1.0.0");
        var offset = AppImage.Parse(image).SignatureSectorOffset;
        // As a tool that pads to a flash page leaves it: two more 4 KiB of erased flash.
        File.WriteAllBytes(dir["padded.bin"], [.. image, .. Enumerable.Repeat((byte)0xFF, offset - image.Length + 2 * SignatureSector.Size)]);

        var result = CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["padded.bin"], "--out", dir["signed.bin"]);
        Assert.Equal(0, result.ExitCode);
        var signed = File.ReadAllBytes(dir["signed.bin"]);
        Assert.Equal(offset + SignatureSector.Size, signed.Length);
        using var key = SecureBootKey.FromPem(File.ReadAllText(S("key-rsa3072.pem")));
        var verdict = SecureBootV2.VerifyWithDigests(signed.AsSpan(0, offset), signed.AsSpan(offset, SignatureSector.Size), [SecureBootV2.PublicKeyDigest(key)], EspChip.Esp32C3);
        Assert.True(verdict.Valid, verdict.Message);
    }

    [Fact]
    public void ADamagedSignatureSectorIsRefusedNotFollowedByAnother()
    {
        using var dir = new TempDir();
        using var key = SecureBootKey.FromPem(File.ReadAllText(S("key-rsa3072.pem")));
        var signed = SecureBootV2.Sign(TestImages.Build(EspChip.Esp32C3, "1.0.0"), key);
        var offset = signed.Length - SignatureSector.Size;
        signed[offset + 100] ^= 0x01; // the block's CRC no longer matches: the ROM skips it
        File.WriteAllBytes(dir["damaged.bin"], signed);

        var result = CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["damaged.bin"], "--out", dir["resigned.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[signature-sector-damaged]", Assert.Single(result.ErrorLines));
        Assert.Contains($"first {offset} bytes", result.Error);
        Assert.Equal(["damaged.bin"], dir.Files);
    }

    [Theory]
    [InlineData("esp32", "key-ecdsa256.pem", false)]
    [InlineData("esp32c3", "key-ecdsa384.pem", false)]
    [InlineData("esp32c2", "key-rsa3072.pem", false)]
    [InlineData("esp32c2", "key-ecdsa256.pem", true)]
    [InlineData("esp32c6", "key-ecdsa256.pem", true)]
    [InlineData("esp32", "key-rsa3072.pem", true)]
    public void PackTakesOnlyASchemeTheChipVerifies(string chip, string keyFile, bool accepted)
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        using var key = SecureBootKey.FromPem(File.ReadAllText(S(keyFile)));
        File.WriteAllBytes(dir["app.bin"], SecureBootV2.Sign(TestImages.Build(EspChip.Parse(chip), "2.0.0"), key));

        var result = CliRunner.Run("pack", dir["app.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/", "--out", dir["pkg"]);
        Assert.Equal(accepted ? 0 : 2, result.ExitCode);
        if (!accepted)
        {
            Assert.EndsWith("[image-invalid]", Assert.Single(result.ErrorLines));
            Assert.Contains($"verifies only {EspChip.Parse(chip).SecureBootSchemes}", result.Error);
            Assert.False(Directory.Exists(dir["pkg"]) && Directory.EnumerateFileSystemEntries(dir["pkg"]).Any());
        }
    }
}
