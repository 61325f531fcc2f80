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
    public void BoardsOutOfRangeIsAUsageError()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--fleet", "--boards", "0", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--boards takes 1 to 1000", result.Error);
        Assert.Empty(dir.Files);
    }
}
