using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// Signing an already signed image: the bootloader reads the signature sector at the image's own
/// padded end, so a new block goes into that sector, and verify reads that sector too.
/// </summary>
public sealed class SignTwiceTests
{
    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    private static string NewRsaKey(string path)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(3072);
        File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
        return path;
    }

    [Fact]
    public void SigningASignedImageAddsABlockToTheSectorTheBootloaderReads()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["app.bin"], TestImages.Build(EspChip.Esp32C3, "1.0.0"));
        var second = NewRsaKey(dir["second.pem"]);
        Assert.Equal(0, CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["app.bin"], "--out", dir["once.bin"]).ExitCode);
        var twice = CliRunner.Run("secure-boot", "sign", "--key", second, "--in", dir["once.bin"], "--out", dir["twice.bin"]);
        Assert.Equal(0, twice.ExitCode);
        Assert.Contains("added a", twice.Out);

        var once = File.ReadAllBytes(dir["once.bin"]);
        var both = File.ReadAllBytes(dir["twice.bin"]);
        Assert.Equal(once.Length, both.Length);
        var offset = once.Length - SignatureSector.Size;
        Assert.Equal(once[..(offset + SignatureBlock.Size)], both[..(offset + SignatureBlock.Size)]);
        var blocks = SignatureSector.ValidBlocks(both.AsSpan(offset, SignatureSector.Size));
        Assert.Equal([0, 1], blocks.Select(b => b.Index));

        // What the bootloader checks: either key's digest in eFuse lets the image boot.
        using var secondKey = SecureBootKey.FromPem(File.ReadAllText(second));
        var verdict = SecureBootV2.VerifyWithDigests(both.AsSpan(0, offset), both.AsSpan(offset, SignatureSector.Size), [SecureBootV2.PublicKeyDigest(secondKey)], EspChip.Esp32C3);
        Assert.True(verdict.Valid, verdict.Message);
        Assert.Equal(0, CliRunner.Run("secure-boot", "verify", "--key", S("key-rsa3072.pem"), dir["twice.bin"]).ExitCode);
        Assert.Equal(0, CliRunner.Run("secure-boot", "verify", "--key", second, dir["twice.bin"]).ExitCode);
    }

    [Fact]
    public void AFullSectorOrTheSameKeyAgainIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["app.bin"], TestImages.Build(EspChip.Esp32C3, "1.0.0"));
        Assert.Equal(0, CliRunner.Run("secure-boot", "sign", "--key", S("key-ecdsa256.pem"), "--in", dir["app.bin"], "--out", dir["once.bin"]).ExitCode);
        var full = CliRunner.Run("secure-boot", "sign", "--key", S("key-ecdsa384.pem"), "--in", dir["once.bin"], "--out", dir["twice.bin"]);
        Assert.Equal(2, full.ExitCode);
        Assert.EndsWith("[signature-sector-full]", Assert.Single(full.ErrorLines));

        Assert.Equal(0, CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["app.bin"], "--out", dir["rsa.bin"]).ExitCode);
        var again = CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["rsa.bin"], "--out", dir["again.bin"]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already signed by this key", again.Error);
        Assert.Equal(["app.bin", "once.bin", "rsa.bin"], dir.Files);
    }

    [Fact]
    public void VerifyChecksTheSectorAtTheImagesEndNotTheFilesLast4KiB()
    {
        // What signing twice used to make: a second sector after the first, which the bootloader never reads.
        using var dir = new TempDir();
        using var first = SecureBootKey.FromPem(File.ReadAllText(S("key-rsa3072.pem")));
        using var second = SecureBootKey.FromPem(File.ReadAllText(NewRsaKey(dir["second.pem"])));
        var once = SecureBootV2.Sign(TestImages.Build(EspChip.Esp32C3, "1.0.0"), first);
        File.WriteAllBytes(dir["stacked.bin"], SecureBootV2.Sign(once, second));

        var result = CliRunner.Run("secure-boot", "verify", "--key", dir["second.pem"], dir["stacked.bin"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Equal(0, CliRunner.Run("secure-boot", "verify", "--key", S("key-rsa3072.pem"), dir["stacked.bin"]).ExitCode);
    }
}
