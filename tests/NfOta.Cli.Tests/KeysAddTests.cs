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
}
