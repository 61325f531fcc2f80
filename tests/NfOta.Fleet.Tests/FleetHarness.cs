using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NfOta.Fleet.Hosting;

namespace NfOta.Fleet.Tests;

/// <summary>A real fleet server on a free loopback port over a test database, with helpers speaking DDI and the admin API.</summary>
public sealed class FleetHarness : IAsyncDisposable
{
    public const string AdminToken = "admin-token-0123456789abcdef";
    public const string GatewayToken = "gateway-token-0123456789abcdef";
    public const string Tenant = "DEFAULT";

    private FleetHarness(FleetServer server, string db, ManualClock clock)
    {
        Server = server;
        Db = db;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.BaseUri };
    }

    public FleetServer Server { get; }

    public string Db { get; }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<FleetHarness> StartAsync(string db, ManualClock? clock = null, int maxDeviceBody = 16 * 1024, int lockTimeoutSeconds = 10)
    {
        clock ??= new ManualClock();
        var server = await FleetServer.StartAsync(new FleetServerOptions
        {
            Database = db,
            Port = 0,
            AdminToken = AdminToken,
            Time = clock,
            MaxDeviceBodyBytes = maxDeviceBody,
            LockTimeoutSeconds = lockTimeoutSeconds,
            EvaluateEvery = TimeSpan.FromHours(1), // tests drive evaluation themselves
        });
        return new FleetHarness(server, db, clock);
    }

    public static string TargetToken(string controllerId) => "target-token-" + controllerId + "-0123456789";

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? token = AdminToken)
    {
        var request = new HttpRequestMessage(method, $"admin/v1/tenants/{Tenant}{path}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return Http.SendAsync(request);
    }

    /// <summary>A DDI request as device <paramref name="controllerId"/> (TargetToken by default).</summary>
    public Task<HttpResponseMessage> DeviceAsync(HttpMethod method, string controllerId, string suffix = "", object? body = null, string? authorization = null)
    {
        var request = new HttpRequestMessage(method, $"{Tenant}/controller/v1/{controllerId}{suffix}");
        request.Headers.TryAddWithoutValidation("Authorization", authorization ?? "TargetToken " + TargetToken(controllerId));
        if (body is not null)
        {
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }
        return Http.SendAsync(request);
    }

    /// <summary>Devices d000..d(n-1) with target tokens, all in cohort "all"; the tenant gets the gateway token.</summary>
    public async Task SetUpFleetAsync(int devices, string cohort = "all")
    {
        await Ok(await AdminAsync(HttpMethod.Put, "", new { gatewayToken = GatewayToken }));
        var ids = Enumerable.Range(0, devices).Select(Id).ToList();
        await Ok(await AdminAsync(HttpMethod.Post, "/devices", new { devices = ids.Select(id => new { controllerId = id, targetToken = TargetToken(id) }) }));
        await Ok(await AdminAsync(HttpMethod.Post, "/cohorts", new { name = cohort, devices = ids }));
    }

    public static string Id(int i) => $"d{i:000}";

    public async Task<JsonElement> StartRolloutAsync(string cohort = "all", object? limits = null, string waves = "1,10,50,100")
    {
        var files = new[] { File("app-1.2.0.manifest", "manifest"), File("app-1.2.0.bin", "image bytes") };
        var body = new Dictionary<string, object?>
        {
            ["cohort"] = cohort, ["version"] = "1.2.0", ["baseUrl"] = "https://cdn.example.com/releases", ["files"] = files, ["waves"] = waves,
        };
        foreach (var p in limits?.GetType().GetProperties() ?? [])
        {
            body[p.Name] = p.GetValue(limits);
        }
        var response = await AdminAsync(HttpMethod.Post, "/rollouts", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    public static object File(string name, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        return new
        {
            filename = name,
            size = bytes.Length,
            sha1 = Convert.ToHexStringLower(SHA1.HashData(bytes)),
            md5 = Convert.ToHexStringLower(MD5.HashData(bytes)),
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
    }

    public async Task<JsonElement> RolloutAsync(long id) => await Json(await Ok(await AdminAsync(HttpMethod.Get, $"/rollouts/{id}")));

    /// <summary>The action id the base poll links to, or null when there is none.</summary>
    public async Task<long?> PendingActionAsync(string controllerId)
    {
        var poll = await Json(await Ok(await DeviceAsync(HttpMethod.Get, controllerId)));
        if (!poll.TryGetProperty("_links", out var links) || !links.TryGetProperty("deploymentBase", out var link))
        {
            return null;
        }
        var href = link.GetProperty("href").GetString()!;
        var path = new Uri(href).AbsolutePath;
        return long.Parse(path[(path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static object Feedback(string execution, string finished, params string[] details) =>
        new { status = new { execution, result = new { finished }, details } };

    public Task<HttpResponseMessage> FeedbackAsync(string controllerId, long actionId, string execution, string finished, params string[] details) =>
        DeviceAsync(HttpMethod.Post, controllerId, $"/deploymentBase/{actionId}/feedback", Feedback(execution, finished, details));

    /// <summary>Polls, reads the deployment and closes it with success (true) or a rollback.</summary>
    public async Task FinishAsync(string controllerId, bool success)
    {
        var action = await PendingActionAsync(controllerId) ?? throw new InvalidOperationException($"{controllerId} has nothing to do");
        await Ok(await DeviceAsync(HttpMethod.Get, controllerId, $"/deploymentBase/{action}"));
        await Ok(await FeedbackAsync(controllerId, action, "download", "none"));
        await Ok(await (success
            ? FeedbackAsync(controllerId, action, "closed", "success")
            : FeedbackAsync(controllerId, action, "closed", "failure", "rolled-back", "error=health-check-failed")));
    }

    public static async Task<HttpResponseMessage> Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>The errorCode of a refusal, after checking its status.</summary>
    public static async Task<string> ErrorCode(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var json = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
        return json.GetProperty("errorCode").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
