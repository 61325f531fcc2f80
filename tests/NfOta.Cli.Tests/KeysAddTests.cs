using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary><c>nfota keys new</c> on a folder that has keys: adding a key never replaces another.</summary>
public sealed class KeysAddTests
{
    [Theory]
    [InlineData("--device-key", "rsa3072", "device-key.pem")]
    [InlineData("--device-key", "ecies-p256", "device-key.pem")]
    [InlineData("--secure-boot", "ecdsa256", "secure-boot-key.pem")]
    public void AddingAKeyKeepsTheManifestKey(string option, string scheme, string added)
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path).ExitCode);
        var manifestKey = File.ReadAllText(dir["manifest-key.pem"]);
        var manifestPublic = File.ReadAllText(dir["manifest-key.pub.pem"]);

        var result = CliRunner.Run("keys", "new", "--out", dir.Path, option, scheme, "--json");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.True(File.Exists(dir[added]));
        Assert.Equal(manifestKey, File.ReadAllText(dir["manifest-key.pem"]));
        Assert.Equal(manifestPublic, File.ReadAllText(dir["manifest-key.pub.pem"]));
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("manifestKeyKept").GetBoolean());
        using var kept = Packaging.ManifestKey.Load(dir["manifest-key.pub.pem"]);
        Assert.Equal(Convert.ToHexStringLower(kept.PublicKeyBytes()), json.RootElement.GetProperty("manifestPublicKeyHex").GetString());
    }

    [Theory]
    [InlineData("--device-key", "--force")]
    [InlineData("--device-key", "--json")]
    [InlineData("--secure-boot", "--force")]
    public void ASchemeLeftOutIsRefusedNotTakenFromTheNextOption(string option, string next)
    {
        // The parser hands the next token to an option that takes a value: "--device-key --force"
        // must not make a key of scheme "--force" (an RSA key, with --force silently dropped).
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, option, next);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"{option} '{next}' is not one of", line);
        Assert.EndsWith("[invalid-argument]", line);
        Assert.Empty(dir.Files);
    }

    [Fact]
    public void ForceReplacesOnlyTheKeyAskedFor()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072", "--secure-boot", "rsa3072").ExitCode);
        var manifestKey = File.ReadAllText(dir["manifest-key.pem"]);
        var secureBootKey = File.ReadAllText(dir["secure-boot-key.pem"]);
        var deviceKey = File.ReadAllText(dir["device-key.pem"]);

        var refused = CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072");
        Assert.Equal(2, refused.ExitCode);
        Assert.EndsWith("[key-exists]", Assert.Single(refused.ErrorLines));
        Assert.Equal(deviceKey, File.ReadAllText(dir["device-key.pem"]));

        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072", "--force").ExitCode);
        Assert.NotEqual(deviceKey, File.ReadAllText(dir["device-key.pem"]));
        Assert.Equal(manifestKey, File.ReadAllText(dir["manifest-key.pem"]));
        Assert.Equal(secureBootKey, File.ReadAllText(dir["secure-boot-key.pem"]));
    }

    /// <summary>A folder holding only the public manifest key (its private key kept offline).</summary>
    private static TempDir PublicOnly()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path).ExitCode);
        File.Delete(dir["manifest-key.pem"]);
        return dir;
    }

    [Fact]
    public void APublicManifestKeyAloneIsNotReplacedWithoutForce()
    {
        using var dir = PublicOnly();
        var manifestPublic = File.ReadAllText(dir["manifest-key.pub.pem"]);
        var result = CliRunner.Run("keys", "new", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[key-exists]", Assert.Single(result.ErrorLines));
        Assert.Contains("manifest-key.pub.pem", result.Error);
        Assert.Equal(manifestPublic, File.ReadAllText(dir["manifest-key.pub.pem"]));
        Assert.False(File.Exists(dir["manifest-key.pem"]));
    }

    [Fact]
    public void AddingAKeyBesideAPublicManifestKeyKeepsItAndMakesNoManifestKey()
    {
        using var dir = PublicOnly();
        var manifestPublic = File.ReadAllText(dir["manifest-key.pub.pem"]);
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--device-key", "rsa3072");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("kept", result.Out);
        Assert.Contains("no manifest key was made", result.Out);
        Assert.Equal(manifestPublic, File.ReadAllText(dir["manifest-key.pub.pem"]));
        Assert.False(File.Exists(dir["manifest-key.pem"]));
        Assert.True(File.Exists(dir["device-key.pem"]));

        var json = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "ecdsa256", "--json");
        Assert.True(json.ExitCode == 0, json.Out + json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.True(doc.RootElement.GetProperty("manifestKeyKept").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("manifestPrivateKey").ValueKind);
        Assert.Equal(manifestPublic, File.ReadAllText(dir["manifest-key.pub.pem"]));
        Assert.False(File.Exists(dir["manifest-key.pem"]));
    }

    [Fact]
    public void APublicSecureBootKeyAloneIsNotReplacedWithoutForce()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "ecdsa256").ExitCode);
        File.Delete(dir["secure-boot-key.pem"]);
        var secureBootPublic = File.ReadAllText(dir["secure-boot-key.pub.pem"]);
        var result = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "ecdsa256");
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[key-exists]", Assert.Single(result.ErrorLines));
        Assert.Equal(secureBootPublic, File.ReadAllText(dir["secure-boot-key.pub.pem"]));
        Assert.False(File.Exists(dir["secure-boot-key.pem"]));
    }
}
