using System.Text.Json;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// The secure boot v2 key digest as a file espefuse burns, and the espefuse command per chip
/// (issue 24: nfota printed only hex; keys new wrote secure-boot-key.pub.pem without saying so).
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

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ecdsa256")]
    public void KeysNewListsEveryFileItWroteAndWritesTheDigestFile(string scheme)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir["keys"], "--secure-boot", scheme, "--device-key", "ecies-p256");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal(8, dir.Files.Length);
        Assert.All(dir.Files, file => Assert.Contains($"wrote {dir[file]}", result.Out));
        var digest = CliRunner.Run("secure-boot", "digest", "--key", dir["keys/secure-boot-key.pub.pem"]).Out.Trim();
        Assert.Equal(digest, Convert.ToHexStringLower(File.ReadAllBytes(dir["keys/secure-boot-key.digest.bin"])));
        Assert.Contains(digest, result.Out);
        // The public key, not the private one, goes into burn-key-digest.
        Assert.Contains($"burn-key-digest {dir["keys/secure-boot-key.pub.pem"]}", result.Out);
        Assert.Contains($"burn-key BLOCK_KEY0 {dir["keys/secure-boot-key.digest.bin"]} SECURE_BOOT_DIGEST0", result.Out);
    }

    [Fact]
    public void KeysNewJsonNamesEveryFileItWroteAndTheEspefuseCommands()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa3072", "--json");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(dir.Files.Select(f => dir[f]).Order(), root.GetProperty("written").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal(dir["secure-boot-key.pub.pem"], root.GetProperty("secureBootPublicKey").GetString());
        Assert.Equal(dir["secure-boot-key.digest.bin"], root.GetProperty("secureBootDigestFile").GetString());
        var burns = root.GetProperty("espefuse").EnumerateArray().ToDictionary(e => e.GetProperty("chip").GetString()!, e => e.GetProperty("command").GetString()!);
        Assert.Equal(["esp32", "esp32s2", "esp32s3", "esp32c3", "esp32c6", "esp32h2"], burns.Keys);
        Assert.Equal($"espefuse --chip esp32 burn-key-digest {dir["secure-boot-key.pub.pem"]}", burns["esp32"]);
        Assert.Equal($"espefuse --chip esp32s3 burn-key BLOCK_KEY0 {dir["secure-boot-key.digest.bin"]} SECURE_BOOT_DIGEST0", burns["esp32s3"]);
    }

    [Fact]
    public void APathWithASpaceIsQuotedForTheShell()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir["my keys"], "--secure-boot", "rsa3072");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains($"burn-key-digest '{dir["my keys/secure-boot-key.pub.pem"]}'\u0020", result.Out);
    }

    [Fact]
    public void AnExistingDigestFileIsNotReplacedWithoutForce()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["secure-boot-key.digest.bin"], new byte[32]);
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa3072");
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[key-exists]", Assert.Single(result.ErrorLines));
        Assert.Equal(["secure-boot-key.digest.bin"], dir.Files);
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa3072", "--force").ExitCode);
        Assert.NotEqual(new byte[32], File.ReadAllBytes(dir["secure-boot-key.digest.bin"]));
    }
}
