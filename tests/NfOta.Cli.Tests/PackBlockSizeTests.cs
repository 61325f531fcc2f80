using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;

namespace NfOta.Cli.Tests;

/// <summary><c>nfota pack --block-size</c> near int.MaxValue: counted without overflow, never a stack trace.</summary>
public sealed class PackBlockSizeTests
{
    [Theory]
    [InlineData(2147479552)] // the largest multiple of 4096 an int holds
    [InlineData(1 << 30)]
    public void AHugeBlockSizeMakesOneBlockAndVerifies(int blockSize)
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["app.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        var packed = CliRunner.Run("pack", dir["app.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/",
            "--out", dir["pkg"], "--block-size", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Contains($"1 of {blockSize} bytes", packed.Out);
        var manifest = File.ReadAllText(dir["pkg/latest.manifest"]);
        Assert.Contains($"\nblock-size={blockSize}\n", manifest);
        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]).ExitCode);
    }
}
