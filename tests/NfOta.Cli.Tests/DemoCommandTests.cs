using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary>The README's main job, end to end, and the dump it leaves explained by inspect.</summary>
[CollectionDefinition("demo", DisableParallelization = true)]
public sealed class DemoCollection;

[Collection("demo")]
public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void UpdatesConfirmsRollsBackAndLeavesADumpInspectExplains(string chip)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--chip", chip, "--out", dir.Path);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("OK: ", result.Out);
        Assert.Contains("update to 2.0.0, reboot", result.Out);
        Assert.Contains("PENDING_VERIFY", result.Out);
        Assert.Contains("mqtt-broker failed: rolled back to ota_1", result.Out);
        Assert.Contains("downloading 3.0.0: 100%", result.Out);

        var inspect = CliRunner.Run("inspect", dir["flash.bin"], "--chip", chip, "--key", dir["keys/flash-encryption-key.bin"],
            "--secure-boot-key", dir["keys/secure-boot-key.pub.pem"], "--json");
        Assert.Equal(0, inspect.ExitCode);
        using var report = JsonDocument.Parse(inspect.Out);
        var boot = report.RootElement.GetProperty("boot");
        Assert.Equal("ota_1", boot.GetProperty("partition").GetString());
        Assert.Equal("2.0.0", boot.GetProperty("version").GetString());
    }

    [Fact]
    public void JsonReportsTheRows()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--out", dir.Path, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("asExpected").GetBoolean());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["1.0.0", "2.0.0", "2.0.0", "3.0.0", "2.0.0"], rows.Select(r => r.GetProperty("version").GetString()));
        Assert.Equal(["VALID", "PENDING_VERIFY", "VALID", "PENDING_VERIFY", "VALID"], rows.Select(r => r.GetProperty("state").GetString()));
    }
}
