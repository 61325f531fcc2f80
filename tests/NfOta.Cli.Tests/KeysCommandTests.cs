using System.Text.Json;
using NfOta.Esp32.SecureBoot;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace NfOta.Cli.Tests;

public sealed class KeysCommandTests
{
    [Fact]
    public void WritesAnOwnerOnlyManifestKeyAndPrintsOnlyThePublicHalf()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir["keys"]);
        Assert.Equal(0, result.ExitCode);
        var privatePath = dir["keys/manifest-key.pem"];
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        var privatePem = File.ReadAllText(privatePath);
        Assert.Contains("PRIVATE KEY", privatePem);
        Assert.DoesNotContain("PRIVATE KEY-----", result.Out);
        Assert.DoesNotContain(privatePem.Split('\n')[1], result.Out);
        Assert.Contains("new byte[] {", result.Out);
        Assert.Contains("0x04,", result.Out);
    }

    [Fact]
    public void JsonGivesThePublicKeyAndTheSecureBootDigest()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa3072", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var publicHex = json.RootElement.GetProperty("manifestPublicKeyHex").GetString()!;
        Assert.Equal(130, publicHex.Length);
        Assert.StartsWith("04", publicHex);
        using var manifestKey = Packaging.ManifestKey.Load(dir["manifest-key.pub.pem"]);
        Assert.Equal(publicHex, Convert.ToHexStringLower(manifestKey.PublicKeyBytes()));

        using var sbKey = SecureBootKey.FromPem(File.ReadAllText(dir["secure-boot-key.pem"]));
        Assert.Equal(Esp32.Chips.SecureBootScheme.Rsa3072, sbKey.Scheme);
        Assert.Equal(Convert.ToHexStringLower(SecureBootV2.PublicKeyDigest(sbKey)), json.RootElement.GetProperty("secureBootKeyDigest").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["secure-boot-key.pem"]));
        // The public PEM gives the same digest: it is what `secure-boot digest` and eFuse use.
        var digest = CliRunner.Run("secure-boot", "digest", "--key", dir["secure-boot-key.pub.pem"]);
        Assert.Equal(json.RootElement.GetProperty("secureBootKeyDigest").GetString(), digest.Out.Trim());
    }

    [Theory]
    [InlineData("ecdsa256", Esp32.Chips.SecureBootScheme.EcdsaP256)]
    [InlineData("ecdsa384", Esp32.Chips.SecureBootScheme.EcdsaP384)]
    public void MakesEcdsaSecureBootKeys(string scheme, Esp32.Chips.SecureBootScheme expected)
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", scheme).ExitCode);
        using var key = SecureBootKey.FromPem(File.ReadAllText(dir["secure-boot-key.pem"]));
        Assert.Equal(expected, key.Scheme);
    }

    [Fact]
    public void NeverReplacesAKeyUnlessForced()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path).ExitCode);
        var before = File.ReadAllText(dir["manifest-key.pem"]);
        var again = CliRunner.Run("keys", "new", "--out", dir.Path);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("[key-exists]", again.Error);
        Assert.Equal(before, File.ReadAllText(dir["manifest-key.pem"]));
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--force").ExitCode);
        Assert.NotEqual(before, File.ReadAllText(dir["manifest-key.pem"]));
    }

    [Fact]
    public void RefusesAnUnknownSecureBootScheme()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa1024");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("[usage]", result.Error);
        Assert.Empty(dir.Files);
    }

    [Fact]
    public void AnEciesDeviceKeyIsAnHmacKeyAndTheP256KeyDerivedFromIt()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "ecies-p256");
        Assert.Equal(0, result.ExitCode);
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(dir["device-key.hmac.bin"]));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(dir["device-key.pem"]));
        var hmac = File.ReadAllBytes(dir["device-key.hmac.bin"]);
        Assert.Equal(32, hmac.Length);

        // What the server encrypts for, the device (deriving from its HMAC key) decrypts.
        var image = System.Security.Cryptography.RandomNumberGenerator.GetBytes(5000);
        using var publicKey = Esp32.EncryptedImages.DeviceKey.FromPem(File.ReadAllText(dir["device-key.pub.pem"]));
        using var device = Esp32.EncryptedImages.DeviceKey.FromHmacKey(hmac);
        Assert.Equal(image, Esp32.EncryptedImages.EncryptedImage.Decrypt(Esp32.EncryptedImages.EncryptedImage.Encrypt(image, publicKey), device));
        Assert.DoesNotContain(Convert.ToHexStringLower(hmac), result.Out.ToLowerInvariant());
    }

    [Fact]
    public void AnRsaDeviceKeyIs3072BitsAndNothingIsWrittenWhenOneExists()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072").ExitCode);
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(dir["device-key.pem"]));
        Assert.Equal(3072, rsa.KeySize);
        Assert.False(File.Exists(dir["device-key.hmac.bin"]));

        // A second run would replace the device key: refused, and the manifest key is not replaced either.
        var deviceKey = File.ReadAllText(dir["device-key.pem"]);
        File.Delete(dir["manifest-key.pem"]);
        var again = CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072");
        Assert.Equal(2, again.ExitCode);
        Assert.EndsWith("[key-exists]", Assert.Single(again.ErrorLines));
        Assert.False(File.Exists(dir["manifest-key.pem"]));
        Assert.Equal(deviceKey, File.ReadAllText(dir["device-key.pem"]));
    }
}
