using System.Net;
using System.Text.Json;
using static NfOta.Fleet.Tests.FleetHarness;

namespace NfOta.Fleet.Tests;

/// <summary>The DDI device API against a real server: fields, links and status codes as hawkBit's DdiRootControllerRestApi.</summary>
public sealed class DdiApiTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private FleetHarness _fleet = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.CreateAsync("sqlite");
        _fleet = await FleetHarness.StartAsync(_db.Db);
        await _fleet.SetUpFleetAsync(devices: 3);
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_new_device_registers_on_its_first_poll_with_the_gateway_token()
    {
        var response = await Ok(await _fleet.DeviceAsync(HttpMethod.Get, "new-board", authorization: "GatewayToken " + GatewayToken));
        Assert.Equal("application/hal+json", response.Content.Headers.ContentType?.MediaType);
        var poll = await Json(response);
        Assert.Equal("00:01:00", poll.GetProperty("config").GetProperty("polling").GetProperty("sleep").GetString());
        var links = poll.GetProperty("_links");
        Assert.False(links.TryGetProperty("deploymentBase", out _));
        // A new device is asked for its attributes (configData link, absolute, as hawkBit builds it).
        Assert.Equal(new Uri(_fleet.Server.BaseUri, "DEFAULT/controller/v1/new-board/configData").AbsoluteUri,
            links.GetProperty("configData").GetProperty("href").GetString());
        var devices = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/devices")));
        Assert.Contains(devices.EnumerateArray(), d => d.GetProperty("controllerId").GetString() == "new-board");
    }

    [Theory]
    [InlineData("TargetToken wrong-token-0123456789")]
    [InlineData("GatewayToken wrong-token-0123456789")]
    [InlineData("Bearer " + AdminToken)]
    [InlineData("")]
    public async Task A_wrong_or_missing_token_is_401_and_registers_nothing(string authorization)
    {
        var response = await _fleet.DeviceAsync(HttpMethod.Get, "intruder", authorization: authorization);
        Assert.Equal("unauthorized", await ErrorCode(response, HttpStatusCode.Unauthorized));
        var devices = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/devices")));
        Assert.DoesNotContain(devices.EnumerateArray(), d => d.GetProperty("controllerId").GetString() == "intruder");
    }

    [Fact]
    public async Task A_device_token_does_not_open_another_device()
    {
        var response = await _fleet.DeviceAsync(HttpMethod.Get, Id(1), authorization: "TargetToken " + TargetToken(Id(0)));
        Assert.Equal("unauthorized", await ErrorCode(response, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_unregistered_device_reading_a_deployment_is_404_even_with_the_gateway_token()
    {
        var response = await _fleet.DeviceAsync(HttpMethod.Get, "ghost", "/deploymentBase/1", authorization: "GatewayToken " + GatewayToken);
        Assert.Equal("target-not-found", await ErrorCode(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_deployment_lists_the_release_files_with_hashes_sizes_and_links_to_where_they_are_hosted()
    {
        await _fleet.StartRolloutAsync(waves: "100");
        var actionId = await _fleet.PendingActionAsync(Id(0));
        Assert.NotNull(actionId);
        var poll = await Json(await Ok(await _fleet.DeviceAsync(HttpMethod.Get, Id(0))));
        var href = poll.GetProperty("_links").GetProperty("deploymentBase").GetProperty("href").GetString()!;
        Assert.StartsWith(new Uri(_fleet.Server.BaseUri, $"DEFAULT/controller/v1/{Id(0)}/deploymentBase/{actionId}?c=").AbsoluteUri, href);

        var deployment = await Json(await Ok(await _fleet.Http.SendAsync(Request(href, Id(0)))));
        Assert.Equal(actionId.ToString(), deployment.GetProperty("id").GetString());
        var d = deployment.GetProperty("deployment");
        Assert.Equal("forced", d.GetProperty("download").GetString());
        Assert.Equal("forced", d.GetProperty("update").GetString());
        var chunk = Assert.Single(d.GetProperty("chunks").EnumerateArray());
        Assert.Equal("1.2.0", chunk.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(chunk.GetProperty("part").GetString()));
        Assert.False(string.IsNullOrEmpty(chunk.GetProperty("name").GetString()));
        var artifacts = chunk.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Equal(["app-1.2.0.manifest", "app-1.2.0.bin"], artifacts.Select(a => a.GetProperty("filename").GetString()));
        var manifest = artifacts[0];
        Assert.Equal(8, manifest.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("manifest"u8)),
            manifest.GetProperty("hashes").GetProperty("sha256").GetString());
        Assert.Equal(40, manifest.GetProperty("hashes").GetProperty("sha1").GetString()!.Length);
        Assert.Equal(32, manifest.GetProperty("hashes").GetProperty("md5").GetString()!.Length);
        Assert.Equal("https://cdn.example.com/releases/app-1.2.0.manifest", manifest.GetProperty("_links").GetProperty("download").GetProperty("href").GetString());
        Assert.Equal("https://cdn.example.com/releases/app-1.2.0.manifest", manifest.GetProperty("_links").GetProperty("download-http").GetProperty("href").GetString());
    }

    [Fact]
    public async Task A_device_cannot_read_or_report_another_device_s_action()
    {
        await _fleet.StartRolloutAsync(waves: "100");
        var theirs = (await _fleet.PendingActionAsync(Id(0)))!.Value;
        Assert.Equal("action-not-found", await ErrorCode(await _fleet.DeviceAsync(HttpMethod.Get, Id(1), $"/deploymentBase/{theirs}"), HttpStatusCode.NotFound));
        Assert.Equal("action-not-found", await ErrorCode(await _fleet.FeedbackAsync(Id(1), theirs, "closed", "failure", "refused"), HttpStatusCode.NotFound));
        // Their action is untouched: still offered, not failed.
        Assert.Equal(theirs, await _fleet.PendingActionAsync(Id(0)));
        var rollout = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/rollouts")));
        Assert.Equal(0, rollout[0].GetProperty("counts").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Feedback_walks_the_board_states_and_a_replay_after_closing_is_410()
    {
        await _fleet.StartRolloutAsync(waves: "100");
        var action = (await _fleet.PendingActionAsync(Id(0)))!.Value;
        await Ok(await _fleet.DeviceAsync(HttpMethod.Get, Id(0), $"/deploymentBase/{action}"));
        foreach (var (execution, detail, state) in new[]
        {
            ("download", "", "downloading"), ("downloaded", "", "downloaded"), ("proceeding", "", "installing"),
            ("proceeding", "rebooted-pending", "rebooted-pending"),
        })
        {
            await Ok(await _fleet.FeedbackAsync(Id(0), action, execution, "none", detail.Length == 0 ? [] : [detail]));
            Assert.Equal(state, await StateOf(Id(0)));
        }
        // A resent message is accepted and changes nothing; an older one is refused.
        await Ok(await _fleet.FeedbackAsync(Id(0), action, "proceeding", "none", "rebooted-pending"));
        Assert.Equal("feedback-out-of-order", await ErrorCode(await _fleet.FeedbackAsync(Id(0), action, "download", "none"), HttpStatusCode.Conflict));
        Assert.Equal("rebooted-pending", await StateOf(Id(0)));
        await Ok(await _fleet.FeedbackAsync(Id(0), action, "closed", "success"));
        Assert.Equal("confirmed", await StateOf(Id(0)));
        Assert.Equal("action-closed", await ErrorCode(await _fleet.FeedbackAsync(Id(0), action, "closed", "success"), HttpStatusCode.Gone));
        Assert.Equal("action-closed", await ErrorCode(await _fleet.FeedbackAsync(Id(0), action, "closed", "failure", "rolled-back"), HttpStatusCode.Gone));
        Assert.Equal("confirmed", await StateOf(Id(0)));
        Assert.Null(await _fleet.PendingActionAsync(Id(0)));
        // Six feedbacks were taken (the resent one kept in the history); the refused ones left no row.
        await using var db = Storage.FleetDatabase.Open(_db.Db);
        await using var unit = await db.BeginReadAsync();
        Assert.Equal(6, await Storage.RolloutStore.StatusCountAsync(unit, action));
    }

    [Fact]
    public async Task Feedback_shaped_as_hawkBit_documents_it_is_taken()
    {
        await _fleet.StartRolloutAsync(waves: "100");
        var action = (await _fleet.PendingActionAsync(Id(1)))!.Value;
        // As DdiActionFeedback's Javadoc and older clients send it: timestamp as a string, progress, fields DDI ignores.
        const string body = """
            {"id": "7", "time": "20140511T121314", "timestamp": "1733218554123",
             "status": {"execution": "proceeding", "result": {"finished": "none", "progress": {"cnt": 2, "of": 5}},
                        "code": 200, "details": ["Writing image"]}}
            """;
        await Ok(await _fleet.DeviceAsync(HttpMethod.Post, Id(1), $"/deploymentBase/{action}/feedback", body));
        Assert.Equal("installing", await StateOf(Id(1)));
    }

    [Fact]
    public async Task A_refusal_keeps_the_engine_error_code()
    {
        await _fleet.StartRolloutAsync(waves: "100");
        var action = (await _fleet.PendingActionAsync(Id(2)))!.Value;
        await Ok(await _fleet.FeedbackAsync(Id(2), action, "closed", "failure", "refused", "error=downgrade-refused"));
        var device = (await Devices()).Single(d => d.GetProperty("controllerId").GetString() == Id(2));
        Assert.Equal("refused", device.GetProperty("state").GetString());
        Assert.Equal("downgrade-refused", device.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Config_data_merges_replaces_and_removes_and_stops_the_request()
    {
        Assert.Contains("configData", (await Json(await Ok(await _fleet.DeviceAsync(HttpMethod.Get, Id(0))))).GetProperty("_links").ToString());
        await Ok(await _fleet.DeviceAsync(HttpMethod.Put, Id(0), "/configData",
            new { mode = "merge", data = new Dictionary<string, object> { ["firmware"] = "1.1.0", ["app"] = "1.1.0", ["slot"] = 0, ["chip"] = "ESP32-S3" } }));
        await Ok(await _fleet.DeviceAsync(HttpMethod.Put, Id(0), "/configData", new { data = new { lastError = "hash-mismatch", slot = "1" } }));
        var attributes = (await Devices()).Single(d => d.GetProperty("controllerId").GetString() == Id(0)).GetProperty("attributes");
        Assert.Equal("1", attributes.GetProperty("slot").GetString());
        Assert.Equal("1.1.0", attributes.GetProperty("firmware").GetString());
        Assert.Equal("hash-mismatch", attributes.GetProperty("lastError").GetString());
        await Ok(await _fleet.DeviceAsync(HttpMethod.Put, Id(0), "/configData", new { mode = "remove", data = new { lastError = "" } }));
        attributes = (await Devices()).Single(d => d.GetProperty("controllerId").GetString() == Id(0)).GetProperty("attributes");
        Assert.False(attributes.TryGetProperty("lastError", out _));
        await Ok(await _fleet.DeviceAsync(HttpMethod.Put, Id(0), "/configData", new { mode = "replace", data = new { chip = "ESP32" } }));
        attributes = (await Devices()).Single(d => d.GetProperty("controllerId").GetString() == Id(0)).GetProperty("attributes");
        Assert.Equal(["chip"], attributes.EnumerateObject().Select(p => p.Name));
        var poll = await Json(await Ok(await _fleet.DeviceAsync(HttpMethod.Get, Id(0))));
        Assert.False(poll.TryGetProperty("_links", out _));
    }

    private async Task<List<JsonElement>> Devices() =>
        (await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/devices")))).EnumerateArray().ToList();

    private async Task<string?> StateOf(string id) =>
        (await Devices()).Single(d => d.GetProperty("controllerId").GetString() == id).GetProperty("state").GetString();

    private static HttpRequestMessage Request(string href, string controllerId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, href);
        request.Headers.TryAddWithoutValidation("Authorization", "TargetToken " + TargetToken(controllerId));
        return request;
    }
}
