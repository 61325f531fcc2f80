using NfOta.Fleet.Hosting;

namespace NfOta.Cli.Tests;

/// <summary>`nfota fleet` against a real fleet server on loopback; `nfota serve --fleet` argument checks.</summary>
public sealed class FleetCommandTests : IAsyncLifetime
{
    private const string Admin = "admin-token-0123456789abcdef";
    private readonly TempDir _dir = new();
    private FleetServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FleetServer.StartAsync(new FleetServerOptions { Database = _dir["fleet.db"], Port = 0, AdminToken = Admin });
        Directory.CreateDirectory(_dir["rel"]);
        File.WriteAllText(_dir["rel/app-1.2.0.manifest"], "signed manifest");
        File.WriteAllText(_dir["rel/app-1.2.0.bin"], "image");
        File.WriteAllText(_dir["rel/app-1.1.0.bin"], "older image");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private CliResult Fleet(params string[] args) =>
        CliRunner.Run(["fleet", .. args, "--server", _server.BaseUri.ToString(), "--token", Admin]);

    [Fact]
    public void An_operator_sets_up_a_cohort_and_steers_a_rollout()
    {
        Assert.Equal(0, Fleet("tenant", "--gateway-token", "gateway-token-0123456789").ExitCode);
        var added = Fleet("devices", "add", "b1", "b2");
        Assert.Equal(0, added.ExitCode);
        // One line per device: its id and the new target token to give it.
        Assert.All(added.Out.Trim().Split('\n'), line => Assert.Matches(@"^b\d [A-Za-z0-9_-]{40,}$", line.Trim()));
        Assert.Equal(0, Fleet("cohort", "create", "lab", "b1", "b2").ExitCode);

        var start = Fleet("rollout", "start", "--cohort", "lab", "--release", _dir["rel"], "--version", "1.2.0", "--base-url", "https://cdn.example.com/rel", "--waves", "100");
        Assert.True(start.ExitCode == 0, start.Error);
        Assert.Contains("rollout 1: 1.2.0 to cohort lab, running, wave 1 of 1 (100 %): offered 2", start.Out);
        var json = Fleet("rollout", "show", "1", "--json");
        Assert.Contains("\"state\": \"running\"", json.Out);
        Assert.Contains("\"cohortSize\": 2", json.Out);
        Assert.Contains("rollout 1:", Fleet("rollout").Out);
        Assert.Contains("paused (paused by the operator)", Fleet("rollout", "pause", "1").Out);
        Assert.Contains("running", Fleet("rollout", "resume", "1").Out);
        Assert.Contains("aborted", Fleet("rollout", "abort", "1").Out);
        var devices = Fleet("devices");
        Assert.Contains("b1 canceled rollout 1 1.2.0 never seen", devices.Out);
    }

    [Fact]
    public void The_release_is_the_version_s_files_with_the_manifest_first()
    {
        var files = NfOta.Cli.Commands.ReleaseFiles.Describe(_dir["rel"], "1.2.0");
        var names = files.Select(f => (string)f.GetType().GetProperty("filename")!.GetValue(f)!).ToList();
        Assert.Equal(["app-1.2.0.manifest", "app-1.2.0.bin"], names);
    }

    [Fact]
    public void A_refusal_is_one_line_with_the_server_s_code_and_a_nonzero_exit()
    {
        var busy = Fleet("cohort", "add", "nope", "b9");
        Assert.Equal(2, busy.ExitCode);
        Assert.Equal("nfota: error: the fleet server refused (404): cohort 'nope' does not exist [cohort-not-found]", Assert.Single(busy.ErrorLines));
        var wrong = CliRunner.Run("fleet", "devices", "--server", _server.BaseUri.ToString(), "--token", "wrong-token-0123456789abc");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.EndsWith("[unauthorized]", Assert.Single(wrong.ErrorLines));
        var away = CliRunner.Run("fleet", "devices", "--server", "http://127.0.0.1:1/", "--token", Admin);
        Assert.NotEqual(0, away.ExitCode);
        Assert.EndsWith("[fleet-unreachable]", Assert.Single(away.ErrorLines));
        var noRelease = Fleet("rollout", "start", "--cohort", "lab", "--release", _dir["rel"], "--version", "9.9.9", "--base-url", "https://x/");
        Assert.EndsWith("[release-not-found]", Assert.Single(noRelease.ErrorLines));
        // No stack trace: no "   at Namespace.Type.Method(" frames.
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^\s+at \S+\(", System.Text.RegularExpressions.RegexOptions.Multiline),
            busy.Error + wrong.Error + away.Error + noRelease.Error);
    }

    [Fact]
    public void Serve_fleet_takes_no_folder_and_serve_without_fleet_needs_one()
    {
        var both = CliRunner.Run("serve", "--fleet", _dir["rel"], "--db", _dir["x.db"]);
        Assert.Equal(2, both.ExitCode);
        Assert.EndsWith("[invalid-argument]", Assert.Single(both.ErrorLines));
        var neither = CliRunner.Run("serve");
        Assert.EndsWith("[usage]", Assert.Single(neither.ErrorLines));
    }

    [Fact]
    public void Help_explains_the_fleet_commands()
    {
        var help = CliRunner.Run("fleet", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var word in new[] { "tenant", "devices", "cohort", "rollout", "--server", "--token", "NFOTA_ADMIN_TOKEN" })
        {
            Assert.Contains(word, help.Out);
        }
        var start = CliRunner.Run("fleet", "rollout", "start", "--help").Out;
        foreach (var word in new[] { "--cohort", "--release", "--base-url", "--waves", "--max-failures", "--max-failure-percent", "--min-finished", "--deadline-seconds" })
        {
            Assert.Contains(word, start);
        }
        Assert.Contains("--fleet", CliRunner.Run("serve", "--help").Out);
    }
}
