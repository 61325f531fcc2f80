using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NfOta.Transfer;

namespace NfOta.Core.Tests;

/// <summary>One feedback as the server read it.</summary>
public sealed record DdiFeedbackSeen(string ActionId, string Execution, string Finished, string? Detail);

/// <summary>
/// A hawkBit DDI server for one controller, as strict as hawkBit's models (DdiActionFeedback,
/// DdiStatus, DdiResult, DdiConfigData): the shapes of its answers follow docs/rest-api/ddi.html,
/// a closed feedback closes the action, a wrong token is 401. Usable in process (it is an
/// <see cref="IJsonHttp"/>) or behind Kestrel (<see cref="Handle"/>).
/// </summary>
public sealed class FakeDdiServer(string baseUrl) : IJsonHttp
{
    public const string Tenant = "DEFAULT";
    public const string Controller = "board-7";
    public const string Token = "b0ard-7-t0ken";

    private static readonly string[] Executions = ["closed", "proceeding", "canceled", "scheduled", "rejected", "resumed", "downloaded", "download"];
    private static readonly string[] Finals = ["success", "failure", "none"];
    private readonly object _gate = new();
    private JsonObject? _action;

    public string BaseUrl { get; } = baseUrl.TrimEnd('/');
    public string Sleep { get; set; } = "00:05:00";
    public bool AskForConfig { get; set; } = true;
    public string? Authorization { get; set; } = "TargetToken " + Token;
    public List<DdiFeedbackSeen> Feedback { get; } = [];
    public List<Dictionary<string, string>> ConfigData { get; } = [];
    public List<string> Log { get; } = [];

    /// <summary>Answer this many feedback POSTs with 503 (not recorded), as a server under load would.</summary>
    public int FailFeedback { get; set; }
    public string? OpenAction => _action?["id"]!.GetValue<string>();

    /// <summary>Open action <paramref name="id"/> with one chunk of these artifacts (download links as given).</summary>
    public void Assign(string id, IEnumerable<(string Filename, byte[] Bytes, string Url)> artifacts, string? maintenanceWindow = null, string download = "forced")
    {
        var list = new JsonArray();
        foreach (var (filename, bytes, url) in artifacts)
        {
            list.Add(new JsonObject
            {
                ["filename"] = filename,
                ["hashes"] = new JsonObject { ["sha1"] = Hex(SHA1.HashData(bytes)), ["md5"] = Hex(MD5.HashData(bytes)), ["sha256"] = Hex(SHA256.HashData(bytes)) },
                ["size"] = bytes.Length,
                ["_links"] = new JsonObject { ["download-http"] = Href(url), ["md5sum-http"] = Href(url + ".MD5SUM") },
            });
        }
        var deployment = new JsonObject { ["download"] = download, ["update"] = "forced", ["chunks"] = new JsonArray(new JsonObject { ["part"] = "os", ["version"] = "x", ["name"] = "nf-ota release", ["artifacts"] = list }) };
        if (maintenanceWindow is not null)
        {
            deployment["maintenanceWindow"] = maintenanceWindow;
        }
        lock (_gate)
        {
            _action = new JsonObject { ["id"] = id, ["deployment"] = deployment };
        }
    }

    public JsonHttpResponse Send(JsonHttpRequest request)
    {
        var (status, body) = Handle(request.Method, request.Url, request.Authorization, request.Body);
        return new JsonHttpResponse(status, body, body.Length);
    }

    public (int Status, byte[] Body) Handle(string method, string url, string? authorization, byte[]? body)
    {
        lock (_gate)
        {
            var path = new Uri(url).AbsolutePath;
            Log.Add(method + " " + path);
            if (authorization != Authorization)
            {
                return (401, []);
            }
            var controller = $"/{Tenant}/controller/v1/{Controller}";
            if (!path.StartsWith(controller, StringComparison.Ordinal))
            {
                return (404, []);
            }
            var rest = path[controller.Length..];
            return (method, rest) switch
            {
                ("GET", "") => Ok(Base()),
                ("PUT", "/configData") => PutConfig(body),
                ("GET", _) when rest == "/deploymentBase/" + OpenAction => Ok(_action!),
                ("POST", _) when rest == "/deploymentBase/" + OpenAction + "/feedback" => PostFeedback(body),
                _ => (404, []),
            };
        }
    }

    private JsonObject Base()
    {
        var links = new JsonObject();
        var controller = $"{BaseUrl}/{Tenant}/controller/v1/{Controller}";
        if (_action is not null)
        {
            links["deploymentBase"] = Href($"{controller}/deploymentBase/{OpenAction}?c=-2127183556");
        }
        if (AskForConfig)
        {
            links["configData"] = Href(controller + "/configData");
        }
        return new JsonObject { ["config"] = new JsonObject { ["polling"] = new JsonObject { ["sleep"] = Sleep } }, ["_links"] = links };
    }

    private (int, byte[]) PostFeedback(byte[]? body)
    {
        if (FailFeedback > 0)
        {
            FailFeedback--;
            return (503, []);
        }
        var status = Parse(body)?["status"] as JsonObject;
        var execution = (status?["execution"] as JsonValue)?.GetValue<string>();
        var finished = ((status?["result"] as JsonObject)?["finished"] as JsonValue)?.GetValue<string>();
        var details = status?["details"] as JsonArray;
        if (!Executions.Contains(execution) || !Finals.Contains(finished) || (status!["details"] is not null && details is null))
        {
            return (400, "{\"message\":\"not a DdiActionFeedback\"}"u8.ToArray());
        }
        Feedback.Add(new(OpenAction!, execution!, finished!, details?.Count > 0 ? details[0]!.GetValue<string>() : null));
        if (execution == "closed")
        {
            _action = null;
        }
        return (200, []);
    }

    private (int, byte[]) PutConfig(byte[]? body)
    {
        var json = Parse(body);
        var mode = (json?["mode"] as JsonValue)?.GetValue<string>();
        if (json?["data"] is not JsonObject data || mode is not ("merge" or "replace" or "remove"))
        {
            return (400, "{\"message\":\"not a DdiConfigData\"}"u8.ToArray());
        }
        ConfigData.Add(data.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        AskForConfig = false;
        return (200, []);
    }

    private static JsonNode? Parse(byte[]? body)
    {
        try
        {
            return body is null ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (int, byte[]) Ok(JsonObject json) => (200, Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static JsonObject Href(string url) => new() { ["href"] = url };

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
