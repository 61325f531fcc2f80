using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary>`nfota demo --fleet`: emulated boards running the device code against the real fleet server (issue 25).</summary>
[Collection("demo")]
public sealed class FleetDemoTests
{
    [Fact]
    public void AGoodReleaseReachesEveryBoardAndABadOnePausesItselfWithItsBoardsRolledBack()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--fleet", "--boards", "24", "--chip", "esp32c3", "--out", dir.Path, "--json");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var rollouts = json.RootElement.GetProperty("rollouts").EnumerateArray().ToList();
        Assert.Equal(["2.0.0", "3.0.0"], rollouts.Select(r => r.GetProperty("version").GetString()));
        var (good, bad) = (rollouts[0], rollouts[1]);
        Assert.Equal((24, 24, 0, 0, false), (good.GetProperty("targeted").GetInt32(), good.GetProperty("confirmed").GetInt32(),
            good.GetProperty("failed").GetInt32(), good.GetProperty("untouched").GetInt32(), good.GetProperty("paused").GetBoolean()));
        Assert.True(bad.GetProperty("paused").GetBoolean());
        Assert.Equal(0, bad.GetProperty("confirmed").GetInt32());
        Assert.Equal(bad.GetProperty("targeted").GetInt32(), bad.GetProperty("failed").GetInt32());
        Assert.InRange(bad.GetProperty("untouched").GetInt32(), 1, 23); // the pause held back the boards not yet offered
        Assert.True(json.RootElement.GetProperty("asExpected").GetBoolean());
    }

    [Fact]
    public void AFleetDatabaseTheDemoDidNotWriteIsKept()
    {
        // serve --fleet's default database is fleet.db in the folder it runs in: the fleet demo's own
        // file name. A real one (or its SQLite side files) stops the demo; the demo's own is replaced.
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("demo", "--fleet", "--boards", "2", "--out", dir.Path, "--json").ExitCode);
        Assert.True(File.Exists(dir["fleet.db"]));
        Assert.Equal(0, CliRunner.Run("demo", "--fleet", "--boards", "2", "--out", dir.Path, "--json").ExitCode);

        var demos = File.ReadAllBytes(dir["fleet.db"]);

        File.WriteAllText(dir["fleet.db"], "a real fleet's devices, cohorts and rollouts");
        AssertRefusedAndUntouched(dir, "fleet.db");
        File.WriteAllBytes(dir["fleet.db"], demos);

        File.WriteAllText(dir["fleet.db-wal"], "a real fleet's last transactions");
        AssertRefusedAndUntouched(dir, "fleet.db-wal");
    }

    private static void AssertRefusedAndUntouched(TempDir dir, string foreign)
    {
        var before = dir.Files.ToDictionary(f => f, f => File.ReadAllBytes(dir[f]));
        var result = CliRunner.Run("demo", "--fleet", "--boards", "2", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[folder-in-use]", Assert.Single(result.ErrorLines));
        Assert.Contains(foreign, result.Error);
        Assert.Equal(before.Keys, dir.Files);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(dir[f.Key])));
    }

    [Fact]
    public void BoardsOutOfRangeIsAUsageError()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--fleet", "--boards", "0", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--boards takes 1 to 1000", result.Error);
        Assert.Empty(dir.Files);
    }
}
