using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// The secure boot v2 key digest as a file espefuse burns, and the espefuse command per chip
/// (issue 24: nfota printed only hex).
/// The commands are espefuse's of esptool v5.3.1: ESP32 and ESP32-C2 burn-key-digest take the key
/// and compute the digest; the chips with key purposes burn the 32-byte file with burn-key.
/// </summary>
public sealed class SecureBootDigestFileTests
{
    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    public static TheoryData<Vectors.SecureBootCase> Cases() => Vectors.SecureBootTheory();

    [Theory]
    [MemberData(nameof(Cases))]
    public void DigestOutWritesEspsecuresDigestFile(Vectors.SecureBootCase c)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("secure-boot", "digest", "--key", S(c.PrivateKey), "--out", dir["digest.bin"]);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal(File.ReadAllBytes(S($"pubkey-digest-{c.Scheme}.bin")), File.ReadAllBytes(dir["digest.bin"]));
        Assert.Contains(c.PubkeyDigestSha256, result.Out);
    }

    [Fact]
    public void DigestOutPrintsTheEspefuseCommandOfEachChipThatVerifiesAnRsaKey()
    {
        using var dir = new TempDir();
        var key = S("key-rsa3072.pem");
        var result = CliRunner.Run("secure-boot", "digest", "--key", key, "--out", dir["digest.bin"]);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains($"espefuse --chip esp32 burn-key-digest {key}", result.Out);
        foreach (var chip in new[] { "esp32s2", "esp32s3", "esp32c3", "esp32c6", "esp32h2" })
        {
            Assert.Contains($"espefuse --chip {chip} burn-key BLOCK_KEY0 {dir["digest.bin"]} SECURE_BOOT_DIGEST0\n", result.Out);
        }
        Assert.DoesNotContain("esp32c2", result.Out); // its ROM verifies ECDSA only
    }

    [Fact]
    public void DigestOutPrintsTheEspefuseCommandOfEachChipThatVerifiesAnEcdsaKey()
    {
        using var dir = new TempDir();
        var key = S("key-ecdsa256.pem");
        var result = CliRunner.Run("secure-boot", "digest", "--key", key, "--out", dir["digest.bin"]);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains($"espefuse --chip esp32c2 burn-key-digest {key}", result.Out);
        Assert.Contains($"espefuse --chip esp32c6 burn-key BLOCK_KEY0 {dir["digest.bin"]} SECURE_BOOT_DIGEST0\n", result.Out);
        Assert.DoesNotContain("--chip esp32 ", result.Out);
        Assert.DoesNotContain("esp32c3", result.Out);

        var p384 = CliRunner.Run("secure-boot", "digest", "--key", S("key-ecdsa384.pem"), "--out", dir["digest384.bin"]);
        Assert.Equal(0, p384.ExitCode);
        Assert.Contains("no chip nf-ota knows verifies EcdsaP384", p384.Out);
        Assert.DoesNotContain("espefuse --chip", p384.Out);
    }

    [Fact]
    public void DigestOutThatIsTheKeyIsRefusedAndTheKeyKept()
    {
        using var dir = new TempDir();
        File.Copy(S("key-rsa3072.pem"), dir["key.pem"]);
        var result = CliRunner.Run("secure-boot", "digest", "--key", dir["key.pem"], "--out", dir["key.pem"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[same-file]", Assert.Single(result.ErrorLines));
        Assert.Equal(File.ReadAllBytes(S("key-rsa3072.pem")), File.ReadAllBytes(dir["key.pem"]));
    }
}
