using System.Net;
using System.Text.Json;
using NfOta.Fleet.Rollouts;
using static NfOta.Fleet.Tests.FleetHarness;

namespace NfOta.Fleet.Tests;

/// <summary>Rollouts end to end over DDI and the admin API, on SQLite and (when configured) PostgreSQL.</summary>
public class RolloutFlowTests
{
    private const int Boards = 200;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_good_release_goes_wave_by_wave_to_every_board(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(Boards);
        var rollout = await fleet.StartRolloutAsync(limits: new { successPercent = 100 });
        var id = rollout.GetProperty("id").GetInt64();
        var waveOf = WavesOf(id);
        var confirmed = new HashSet<string>();
        var seen = new List<int>();
        for (var round = 0; round < 4 && (await fleet.RolloutAsync(id)).GetProperty("state").GetString() == "running"; round++)
        {
            // Exactly the boards whose bucket is in an open wave (and that have not confirmed yet) are offered the release.
            var wave = (await fleet.RolloutAsync(id)).GetProperty("wave").GetInt32() - 1;
            seen.Add(wave);
            var offered = await OfferedAsync(fleet);
            Assert.Equal(waveOf.Where(p => p.Value <= wave && !confirmed.Contains(p.Key)).Select(p => p.Key).Order(), offered.Order());
            foreach (var board in offered)
            {
                await fleet.FinishAsync(board, success: true);
                confirmed.Add(board);
            }
        }
        Assert.True(seen.SequenceEqual(seen.Order()) && seen[^1] == 3 && seen.Count >= 2, string.Join(",", seen));
        var done = await fleet.RolloutAsync(id);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(Boards, done.GetProperty("counts").GetProperty("confirmed").GetInt32());
        Assert.Equal(Boards, done.GetProperty("cohortSize").GetInt32());
        Assert.Equal(waveOf.Count(p => p.Value == 0), done.GetProperty("waves")[0].GetProperty("counts").GetProperty("confirmed").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_bad_release_pauses_itself_at_N_failures_and_holds_the_boards_not_yet_started(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(Boards);
        var id = (await fleet.StartRolloutAsync(limits: new { maxFailures = 3, maxFailurePercent = 0 }, waves: "10,100")).GetProperty("id").GetInt64();
        var offered = await OfferedAsync(fleet);
        Assert.InRange(offered.Count, 5, 40);
        for (var i = 0; i < 2; i++)
        {
            await fleet.FinishAsync(offered[i], success: false);
        }
        Assert.Equal("running", (await fleet.RolloutAsync(id)).GetProperty("state").GetString());
        // One board has started before the pause; it may still finish.
        var started = offered[^1];
        var startedAction = (await fleet.PendingActionAsync(started))!.Value;
        await Ok(await fleet.FeedbackAsync(started, startedAction, "download", "none"));

        await fleet.FinishAsync(offered[2], success: false);
        var paused = await fleet.RolloutAsync(id);
        Assert.Equal("paused", paused.GetProperty("state").GetString());
        Assert.Contains("3 boards failed", paused.GetProperty("reason").GetString());
        Assert.Equal(1, paused.GetProperty("wave").GetInt32());
        Assert.Null(await fleet.PendingActionAsync(offered[3]));
        var held = (await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/devices")))).EnumerateArray()
            .Single(d => d.GetProperty("controllerId").GetString() == offered[3]).GetProperty("action").GetInt64();
        Assert.Equal("action-not-offered", await ErrorCode(await fleet.DeviceAsync(HttpMethod.Get, offered[3], $"/deploymentBase/{held}"), HttpStatusCode.NotFound));
        Assert.Equal(startedAction, await fleet.PendingActionAsync(started));
        await Ok(await fleet.FeedbackAsync(started, startedAction, "closed", "success"));

        // The operator resumes: the failures so far are accepted and the boards are offered again.
        var resumed = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{id}/resume")));
        Assert.Equal("running", resumed.GetProperty("state").GetString());
        Assert.NotNull(await fleet.PendingActionAsync(offered[3]));
        // And aborts: boards that have not started are withdrawn.
        var aborted = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{id}/abort")));
        Assert.Equal("aborted", aborted.GetProperty("state").GetString());
        Assert.Null(await fleet.PendingActionAsync(offered[3]));
        Assert.Equal("rollout-state", await ErrorCode(await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{id}/resume"), HttpStatusCode.Conflict));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Boards_that_never_confirm_fail_at_the_deadline_and_pause_the_rollout(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(20);
        var id = (await fleet.StartRolloutAsync(limits: new { maxFailures = 0, maxFailurePercent = 50, minFinished = 5, confirmDeadlineSeconds = 600 }, waves: "100"))
            .GetProperty("id").GetInt64();
        var offered = await OfferedAsync(fleet);
        Assert.Equal(20, offered.Count);
        for (var i = 0; i < 5; i++)
        {
            await fleet.FinishAsync(offered[i], success: true);
        }
        fleet.Clock.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal("running", (await fleet.RolloutAsync(id)).GetProperty("state").GetString());
        fleet.Clock.Advance(TimeSpan.FromSeconds(2));
        var rollout = await fleet.RolloutAsync(id);
        Assert.Equal("paused", rollout.GetProperty("state").GetString());
        Assert.Equal(15, rollout.GetProperty("counts").GetProperty("failed").GetInt32());
        var late = offered[10];
        var devices = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/devices")));
        Assert.Equal("timed-out", devices.EnumerateArray().Single(d => d.GetProperty("controllerId").GetString() == late).GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Boards_held_by_a_long_pause_get_a_fresh_deadline_on_resume(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(10);
        var id = (await fleet.StartRolloutAsync(limits: new { maxFailures = 1, confirmDeadlineSeconds = 600 }, waves: "100")).GetProperty("id").GetInt64();
        await Ok(await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{id}/pause"));
        fleet.Clock.Advance(TimeSpan.FromHours(2));
        var resumed = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{id}/resume")));
        Assert.True(resumed.GetProperty("state").GetString() == "running", resumed.ToString());
        Assert.Equal(0, resumed.GetProperty("counts").GetProperty("failed").GetInt32());
        fleet.Clock.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal("paused", (await fleet.RolloutAsync(id)).GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_restarted_server_carries_on_where_the_last_one_stopped(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        long id;
        string board;
        long action;
        await using (var first = await FleetHarness.StartAsync(test.Db))
        {
            await first.SetUpFleetAsync(30);
            id = (await first.StartRolloutAsync(limits: new { maxFailures = 2 }, waves: "100")).GetProperty("id").GetInt64();
            var offered = await OfferedAsync(first);
            await first.FinishAsync(offered[0], success: false);
            board = offered[1];
            action = (await first.PendingActionAsync(board))!.Value;
            await Ok(await first.FeedbackAsync(board, action, "proceeding", "none", "rebooted-pending"));
            await Ok(await first.DeviceAsync(HttpMethod.Put, board, "/configData", new { data = new { firmware = "1.1.0" } }));
        }
        await using var second = await FleetHarness.StartAsync(test.Db);
        var rollout = await second.RolloutAsync(id);
        Assert.Equal("running", rollout.GetProperty("state").GetString());
        Assert.Equal(1, rollout.GetProperty("counts").GetProperty("failed").GetInt32());
        var device = (await Json(await Ok(await second.AdminAsync(HttpMethod.Get, "/devices")))).EnumerateArray()
            .Single(d => d.GetProperty("controllerId").GetString() == board);
        Assert.Equal("rebooted-pending", device.GetProperty("state").GetString());
        Assert.Equal("1.1.0", device.GetProperty("attributes").GetProperty("firmware").GetString());
        // The same tokens still work, the old feedback still counts (no going back), and the error condition still holds.
        Assert.Equal("feedback-out-of-order", await ErrorCode(await second.FeedbackAsync(board, action, "download", "none"), HttpStatusCode.Conflict));
        await Ok(await second.FeedbackAsync(board, action, "closed", "failure", "rolled-back"));
        Assert.Equal("paused", (await second.RolloutAsync(id)).GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Boards_reporting_at_the_same_time_are_all_counted(string kind)
    {
        await using var test = await TestDatabases.CreateAsync(kind);
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(60);
        var id = (await fleet.StartRolloutAsync(limits: new { maxFailures = 0, maxFailurePercent = 0 }, waves: "100")).GetProperty("id").GetInt64();
        var boards = Enumerable.Range(0, 60).Select(Id).ToList();
        await Task.WhenAll(boards.Select(b => Task.Run(() => fleet.FinishAsync(b, success: b.EndsWith('7') is false))));
        var rollout = await fleet.RolloutAsync(id);
        Assert.Equal(54, rollout.GetProperty("counts").GetProperty("confirmed").GetInt32());
        Assert.Equal(6, rollout.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal("completed", rollout.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_cohort_takes_one_rollout_at_a_time_and_an_unknown_cohort_is_404()
    {
        await using var test = await TestDatabases.CreateAsync("sqlite");
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(5);
        await fleet.StartRolloutAsync();
        var again = await fleet.AdminAsync(HttpMethod.Post, "/rollouts", new { cohort = "all", version = "2.0.0", baseUrl = "https://x/", files = new[] { File("a", "b") } });
        Assert.Equal("cohort-busy", await ErrorCode(again, HttpStatusCode.Conflict));
        var nowhere = await fleet.AdminAsync(HttpMethod.Post, "/rollouts", new { cohort = "none", version = "2.0.0", baseUrl = "https://x/", files = new[] { File("a", "b") } });
        Assert.Equal("cohort-not-found", await ErrorCode(nowhere, HttpStatusCode.NotFound));
        var badWaves = await fleet.AdminAsync(HttpMethod.Post, "/rollouts", new { cohort = "all", version = "2.0.0", baseUrl = "https://x/", files = new[] { File("a", "b") }, waves = "50,10" });
        Assert.Equal("invalid-rollout", await ErrorCode(badWaves, HttpStatusCode.BadRequest));
        Assert.Single((await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/rollouts")))).EnumerateArray());
        await Ok(await fleet.AdminAsync(HttpMethod.Post, "/cohorts", new { name = "empty" }));
        var cohorts = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/cohorts")));
        Assert.Equal("[{\"name\":\"all\",\"devices\":5},{\"name\":\"empty\",\"devices\":0}]", cohorts.GetRawText());
        Assert.Equal("cohort-exists", await ErrorCode(await fleet.AdminAsync(HttpMethod.Post, "/cohorts", new { name = "empty" }), HttpStatusCode.Conflict));
    }

    /// <summary>Each board's wave in rollout <paramref name="id"/>, from the documented bucketing.</summary>
    private static Dictionary<string, int> WavesOf(long id) =>
        Enumerable.Range(0, Boards).Select(Id).ToDictionary(b => b, b => WavePlan.Default.WaveOf(Bucketing.BucketOf(id, b)));

    private static async Task<List<string>> OfferedAsync(FleetHarness fleet)
    {
        var devices = await Json(await Ok(await fleet.AdminAsync(HttpMethod.Get, "/devices")));
        return devices.EnumerateArray()
            .Where(d => d.GetProperty("state").ValueKind == JsonValueKind.String && d.GetProperty("state").GetString() == "pending")
            .Select(d => d.GetProperty("controllerId").GetString()!)
            .ToList();
    }
}
