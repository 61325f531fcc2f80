namespace NfOta.Cli.Tests;

/// <summary>Every input is read up to a cap for its kind: an endless one is one line, exit 2, not an out-of-memory crash.</summary>
public sealed class InputLimitTests
{
    [Fact]
    public void AnEndlessKeyIsRefusedAsTooLarge()
    {
        if (OperatingSystem.IsWindows()) return;
        var result = CliRunner.Run("secure-boot", "digest", "--key", "/dev/zero");
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[input-too-large]", Assert.Single(result.ErrorLines));
        Assert.Contains("64 KiB", result.Error);
    }

    [Fact]
    public void AnEndlessImageIsRefusedAndNothingIsWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        var result = CliRunner.Run("pack", "/dev/zero", "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example.com/", "--out", dir["pkg"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[input-too-large]", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]));
    }

    [Fact]
    public void AnOversizedManifestKeyFileIsRefused()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["big.pem"], new byte[Packaging.InputLimit.Key + 1]);
        var result = CliRunner.Run("verify", dir.Path, "--pubkey", dir["big.pem"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[input-too-large]", Assert.Single(result.ErrorLines));
    }
}
