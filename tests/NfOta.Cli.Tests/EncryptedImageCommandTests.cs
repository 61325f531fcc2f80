using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

public class EncryptedImageCommandTests
{
    private static string Vector(string name) => Vectors.PathOf("pre-encrypted-ota", name);

    [Fact]
    public void DecryptImageReadsEspressifsImage()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("decrypt-image", "--in", Vector("enc-ecies-p256-65659.bin"), "--device-key", Vector("key-ecies-p256.pem"), "--out", dir["plain.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllBytes(Vector("plain-65659.bin")), File.ReadAllBytes(dir["plain.bin"]));
        Assert.Contains("decrypted 65659 bytes (ecies-p256)", result.Out);
    }

    [Fact]
    public void EncryptThenDecryptGivesTheImageBack()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("encrypt-image", "--in", Vector("plain-4096.bin"), "--device-key", Vector("key-rsa3072.pub.pem"), "--out", dir["enc.bin"]).ExitCode);
        Assert.Equal(4096 + 512, new FileInfo(dir["enc.bin"]).Length);
        Assert.Equal(0, CliRunner.Run("decrypt-image", "--in", dir["enc.bin"], "--device-key", Vector("key-rsa3072.pem"), "--out", dir["dec.bin"]).ExitCode);
        Assert.Equal(File.ReadAllBytes(Vector("plain-4096.bin")), File.ReadAllBytes(dir["dec.bin"]));
    }

    [Theory]
    [InlineData("tampered-rsa3072-4096-tag.bin", "key-rsa3072.pem", "[encrypted-image-tag]")]
    [InlineData("tampered-ecies-p256-4096-magic.bin", "key-ecies-p256.pem", "[encrypted-image-magic]")]
    [InlineData("enc-rsa3072-4096.bin", "key-rsa3072.pub.pem", "[encrypted-image-key]")]
    [InlineData("enc-rsa3072-4096.bin", "key-ecies-p256.pem", "[encrypted-image-key]")] // an RSA image read as ECIES: no P-256 point in the header
    [InlineData("enc-ecies-p256-4096.bin", "key-rsa3072.pem", "[encrypted-image-key]")]
    public void ARefusedImageIsOneLineAndNothingIsWritten(string image, string key, string code)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("decrypt-image", "--in", Vector(image), "--device-key", Vector(key), "--out", dir["out.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(code, Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(dir["out.bin"]));
    }
}
