using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;

namespace NfOta.Cli.Tests;

/// <summary>
/// A signing key is no device key: the manifest key (P-256) or a secure boot key (RSA-3072 or P-256)
/// would be accepted as one, and its private half written into a board's nfota_key partition, or
/// releases encrypted to a key the signer holds.
/// </summary>
public sealed class DeviceKeyIsSigningKeyTests
{
    private static TempDir Keys(string secureBoot)
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"], "--secure-boot", secureBoot, "--device-key", "rsa3072").ExitCode);
        Assert.True(File.Exists(dir["keys/secure-boot-key.pub.pem"]));
        return dir;
    }

    [Theory]
    [InlineData("ecdsa256", "manifest-key.pem")]
    [InlineData("ecdsa256", "secure-boot-key.pem")]
    [InlineData("rsa3072", "secure-boot-key.pem")]
    public void DevicePartitionRefusesASigningKey(string secureBoot, string file)
    {
        using var dir = Keys(secureBoot);
        var result = CliRunner.Run("keys", "device-partition", "--device-key", dir["keys/" + file], "--out", dir["dp.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[device-key-is-signing-key]", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(dir["dp.bin"]));

        // The folder's own device key is still taken.
        Assert.Equal(0, CliRunner.Run("keys", "device-partition", "--device-key", dir["keys/device-key.pem"], "--out", dir["dp.bin"]).ExitCode);
    }

    [Theory]
    [InlineData("ecdsa256", "manifest-key.pub.pem")]
    [InlineData("ecdsa256", "secure-boot-key.pub.pem")]
    [InlineData("rsa3072", "secure-boot-key.pub.pem")]
    public void PackRefusesToEncryptForASigningKey(string secureBoot, string file)
    {
        using var dir = Keys(secureBoot);
        File.WriteAllBytes(dir["fw.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        var result = CliRunner.Run("pack", dir["fw.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/",
            "--out", dir["pkg"], "--encrypt-for", dir["keys/" + file]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[device-key-is-signing-key]", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]));
    }

    [Fact]
    public void PackRefusesTheManifestKeyCopiedElsewhere()
    {
        using var dir = Keys("ecdsa256");
        Directory.CreateDirectory(dir["elsewhere"]);
        File.Copy(dir["keys/manifest-key.pub.pem"], dir["elsewhere/device.pub.pem"]);
        File.WriteAllBytes(dir["fw.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        var result = CliRunner.Run("pack", dir["fw.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/",
            "--out", dir["pkg"], "--encrypt-for", dir["elsewhere/device.pub.pem"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[device-key-is-signing-key]", Assert.Single(result.ErrorLines));
    }
}
