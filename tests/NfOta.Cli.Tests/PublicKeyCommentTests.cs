using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// A public device key whose PEM file says "PRIVATE KEY" in a comment is still a public key: the
/// key type comes from parsing, so commands that need the private half refuse it in one line.
/// </summary>
public sealed class PublicKeyCommentTests
{
    private static string Vector(string name) => Vectors.PathOf("pre-encrypted-ota", name);

    private static string PublicWithComment(TempDir dir, string scheme)
    {
        var path = dir[$"commented-{scheme}.pub.pem"];
        File.WriteAllText(path, "# the PRIVATE KEY for this board is in the vault, not here\n" + File.ReadAllText(Vector($"key-{scheme}.pub.pem")));
        return path;
    }

    private static void AssertOneLineRefusal(CliResult result, string code, string output)
    {
        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: ", line);
        Assert.EndsWith($"[{code}]", line);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ecies-p256")]
    public void DecryptImageRefusesIt(string scheme)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("decrypt-image", "--in", Vector($"enc-{scheme}-4096.bin"), "--device-key", PublicWithComment(dir, scheme), "--out", dir["out.bin"]);
        AssertOneLineRefusal(result, "encrypted-image-key", dir["out.bin"]);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ecies-p256")]
    public void DevicePartitionRefusesIt(string scheme)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "device-partition", "--device-key", PublicWithComment(dir, scheme), "--out", dir["nfota_key.bin"]);
        AssertOneLineRefusal(result, "encrypted-image-key", dir["nfota_key.bin"]);
    }

    [Fact]
    public void ThePrivateKeyStillWorks()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("decrypt-image", "--in", Vector("enc-rsa3072-4096.bin"), "--device-key", Vector("key-rsa3072.pem"), "--out", dir["out.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllBytes(Vector("plain-4096.bin")), File.ReadAllBytes(dir["out.bin"]));
    }
}
