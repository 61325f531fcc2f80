using System.Net;
using System.Text;
using static NfOta.Fleet.Tests.FleetHarness;

namespace NfOta.Fleet.Tests;

/// <summary>Bad input is a 4xx with a JSON body {errorCode, message}; nothing is written and the server keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private FleetHarness _fleet = null!;
    private long _action;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.CreateAsync("sqlite");
        _fleet = await FleetHarness.StartAsync(_db.Db, maxDeviceBody: 4096);
        await _fleet.SetUpFleetAsync(devices: 2);
        await _fleet.StartRolloutAsync(waves: "100");
        _action = (await _fleet.PendingActionAsync(Id(0)))!.Value;
        await Ok(await _fleet.FeedbackAsync(Id(0), _action, "download", "none"));
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"status\": ", "malformed-json")]
    [InlineData("[1,2,3]", "malformed-json")]
    [InlineData("null", "malformed-json")]
    [InlineData("{\"status\": {\"execution\": \"closed\"}}", "invalid-feedback")]
    [InlineData("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"maybe\"}}}", "invalid-feedback")]
    [InlineData("{\"status\": {\"execution\": 5, \"result\": {\"finished\": \"success\"}}}", "malformed-json")]
    [InlineData("{}", "invalid-feedback")]
    public async Task Malformed_feedback_is_400_and_changes_nothing(string body, string code)
    {
        var response = await _fleet.DeviceAsync(HttpMethod.Post, Id(0), $"/deploymentBase/{_action}/feedback", body);
        Assert.Equal(code, await ErrorCode(response, HttpStatusCode.BadRequest));
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_huge_body_is_413_before_it_is_parsed()
    {
        var details = Enumerable.Repeat(new string('x', 500), 20).ToArray();
        var response = await _fleet.DeviceAsync(HttpMethod.Post, Id(0), $"/deploymentBase/{_action}/feedback", Feedback("closed", "failure", details));
        Assert.Equal("body-too-large", await ErrorCode(response, HttpStatusCode.RequestEntityTooLarge));
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_huge_body_without_a_length_is_413_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Tenant}/controller/v1/{Id(0)}/deploymentBase/{_action}/feedback");
        request.Headers.TryAddWithoutValidation("Authorization", "TargetToken " + TargetToken(Id(0)));
        var json = Encoding.UTF8.GetBytes("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"failure\"}, \"details\": [\"" + new string('y', 100_000) + "\"]}}");
        request.Content = new StreamContent(new MemoryStream(json)); // no Content-Length: chunked
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal("body-too-large", await ErrorCode(await _fleet.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge));
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Tenant}/controller/v1/{Id(0)}/deploymentBase/{_action}/feedback")
        {
            Content = new StringContent("execution=closed", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "TargetToken " + TargetToken(Id(0)));
        Assert.Equal("unsupported-media-type", await ErrorCode(await _fleet.Http.SendAsync(request), HttpStatusCode.UnsupportedMediaType));
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("/deploymentBase/abc")]
    [InlineData("/deploymentBase/-1")]
    [InlineData("/deploymentBase/99999999999999999999999")]
    public async Task An_action_id_that_is_not_a_number_is_400(string suffix)
    {
        Assert.Equal("invalid-action-id", await ErrorCode(await _fleet.DeviceAsync(HttpMethod.Get, Id(0), suffix), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task An_action_that_does_not_exist_is_404()
    {
        Assert.Equal("action-not-found", await ErrorCode(await _fleet.DeviceAsync(HttpMethod.Get, Id(0), "/deploymentBase/987654"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task An_overlong_controller_id_is_400()
    {
        var id = new string('a', 300);
        var response = await _fleet.DeviceAsync(HttpMethod.Get, id, authorization: "GatewayToken " + GatewayToken);
        Assert.Equal("invalid-controller-id", await ErrorCode(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("{\"data\": {}}")]
    [InlineData("{\"mode\": \"merge\"}")]
    [InlineData("{\"mode\": \"append\", \"data\": {\"a\": \"1\"}}")]
    [InlineData("{\"data\": {\"a\": {\"nested\": 1}}}")]
    public async Task Bad_config_data_is_400_and_keeps_the_old_attributes(string body)
    {
        await Ok(await _fleet.DeviceAsync(HttpMethod.Put, Id(1), "/configData", new { data = new { firmware = "1.0.0" } }));
        var response = await _fleet.DeviceAsync(HttpMethod.Put, Id(1), "/configData", body);
        Assert.Equal("invalid-config-data", await ErrorCode(response, HttpStatusCode.BadRequest));
        var devices = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/devices")));
        var attributes = devices.EnumerateArray().Single(d => d.GetProperty("controllerId").GetString() == Id(1)).GetProperty("attributes");
        Assert.Equal("{\"firmware\":\"1.0.0\"}", attributes.GetRawText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-admin-token-0123456789")]
    [InlineData(GatewayToken)]
    public async Task The_admin_API_takes_only_the_admin_token(string? token)
    {
        var response = await _fleet.AdminAsync(HttpMethod.Post, "/rollouts/1/abort", token: token);
        Assert.Equal("unauthorized", await ErrorCode(response, HttpStatusCode.Unauthorized));
        var rollouts = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/rollouts")));
        Assert.Equal("running", rollouts[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_device_token_in_the_admin_header_does_not_open_it()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"admin/v1/tenants/{Tenant}/devices");
        request.Headers.TryAddWithoutValidation("Authorization", "TargetToken " + TargetToken(Id(0)));
        Assert.Equal("unauthorized", await ErrorCode(await _fleet.Http.SendAsync(request), HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404()
    {
        Assert.Equal("not-found", await ErrorCode(await _fleet.Http.GetAsync("nothing/here"), HttpStatusCode.NotFound));
    }

    /// <summary>Device 0 is still downloading with one status row; the rollout has no failure.</summary>
    private async Task AssertUnchangedAsync()
    {
        var devices = await Json(await Ok(await _fleet.AdminAsync(HttpMethod.Get, "/devices")));
        Assert.Equal("downloading", devices.EnumerateArray().Single(d => d.GetProperty("controllerId").GetString() == Id(0)).GetProperty("state").GetString());
        await using (var db = Storage.FleetDatabase.Open(_db.Db))
        await using (var unit = await db.BeginReadAsync())
        {
            Assert.Equal(1, await Storage.RolloutStore.StatusCountAsync(unit, _action));
        }
        // The server still serves.
        await Ok(await _fleet.DeviceAsync(HttpMethod.Get, Id(1)));
    }
}
