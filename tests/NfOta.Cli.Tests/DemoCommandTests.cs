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
        // A newcomer has no nfota on PATH: the printed command runs from the clone, as the README's do.
        Assert.Contains($"  dotnet run --project tools/nfota -- inspect {dir["flash.bin"]} --chip {chip} --key {dir["keys/flash-encryption-key.bin"]}", result.Out);
        Assert.DoesNotContain("  nfota inspect", result.Out);

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
        Assert.Equal(0, CliRunner.Run("demo", "--out", dir.Path, "--json").ExitCode);
        // Its own folder from an earlier run is taken again.
        var result = CliRunner.Run("demo", "--out", dir.Path, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("asExpected").GetBoolean());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["1.0.0", "2.0.0", "2.0.0", "3.0.0", "2.0.0"], rows.Select(r => r.GetProperty("version").GetString()));
        Assert.Equal(["VALID", "PENDING_VERIFY", "VALID", "PENDING_VERIFY", "VALID"], rows.Select(r => r.GetProperty("state").GetString()));
    }

    [Fact]
    public void RefusesAFolderWithKeysOrReleasesItDidNotMake()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        Directory.CreateDirectory(dir["releases"]);
        File.WriteAllText(dir["releases/latest.manifest"], "a real release");
        var key = File.ReadAllText(dir["keys/manifest-key.pem"]);

        var result = CliRunner.Run("demo", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[folder-in-use]", Assert.Single(result.ErrorLines));
        Assert.Equal(key, File.ReadAllText(dir["keys/manifest-key.pem"]));
        Assert.Equal(["keys/manifest-key.pem", "keys/manifest-key.pub.pem", "releases/latest.manifest"], dir.Files);
    }

    [Fact]
    public void AnEmptyOrFileOutIsOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["a-file"], "mine");
        foreach (var output in new[] { "", dir["a-file"] })
        {
            var result = CliRunner.Run("demo", "--out", output);
            Assert.Equal(2, result.ExitCode);
            Assert.EndsWith("[invalid-argument]", Assert.Single(result.ErrorLines));
        }
        Assert.Equal(["a-file"], dir.Files);
    }
}
