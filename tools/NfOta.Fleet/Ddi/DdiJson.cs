using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfOta.Fleet.Ddi;

// The DDI wire format, field for field as hawkBit's JSON models (DdiControllerBase, DdiConfig,
// DdiPolling, DdiDeploymentBase, DdiDeployment, DdiChunk, DdiArtifact, DdiArtifactHash,
// DdiActionFeedback, DdiStatus, DdiResult, DdiProgress, DdiConfigData). Absent values are left
// out, as hawkBit's NON_NULL inclusion does.

public sealed record DdiLink([property: JsonPropertyName("href")] string Href);

public sealed record DdiPolling([property: JsonPropertyName("sleep")] string Sleep);

public sealed record DdiConfig([property: JsonPropertyName("polling")] DdiPolling Polling);

public sealed record DdiControllerBase(
    [property: JsonPropertyName("config")] DdiConfig Config,
    [property: JsonPropertyName("_links"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, DdiLink>? Links);

public sealed record DdiArtifactHash(
    [property: JsonPropertyName("sha1")] string Sha1,
    [property: JsonPropertyName("md5")] string Md5,
    [property: JsonPropertyName("sha256")] string Sha256);

public sealed record DdiArtifact(
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("hashes")] DdiArtifactHash Hashes,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("_links")] Dictionary<string, DdiLink> Links);

public sealed record DdiChunk(
    [property: JsonPropertyName("part")] string Part,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("artifacts")] IReadOnlyList<DdiArtifact> Artifacts);

public sealed record DdiDeployment(
    [property: JsonPropertyName("download")] string Download,
    [property: JsonPropertyName("update")] string Update,
    [property: JsonPropertyName("chunks")] IReadOnlyList<DdiChunk> Chunks);

public sealed record DdiDeploymentBase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("deployment")] DdiDeployment Deployment);

public sealed class DdiProgressIn
{
    [JsonPropertyName("cnt")] public int? Cnt { get; set; }

    [JsonPropertyName("of")] public int? Of { get; set; }
}

public sealed class DdiResultIn
{
    [JsonPropertyName("finished")] public string? Finished { get; set; }

    [JsonPropertyName("progress")] public DdiProgressIn? Progress { get; set; }
}

public sealed class DdiStatusIn
{
    [JsonPropertyName("execution")] public string? Execution { get; set; }

    [JsonPropertyName("result")] public DdiResultIn? Result { get; set; }

    [JsonPropertyName("code")] public int? Code { get; set; }

    [JsonPropertyName("details")] public List<string>? Details { get; set; }
}

public sealed class DdiActionFeedbackIn
{
    /// <summary>Milliseconds since the epoch on the device; optional (hawkBit fills in the server's time).</summary>
    [JsonPropertyName("timestamp")] public long? Timestamp { get; set; }

    [JsonPropertyName("status")] public DdiStatusIn? Status { get; set; }
}

public sealed class DdiConfigDataIn
{
    /// <summary>hawkBit's Map&lt;String, String&gt;; numbers and booleans are taken as their text, as Jackson does.</summary>
    [JsonPropertyName("data")] public Dictionary<string, JsonElement>? Data { get; set; }

    /// <summary>merge (default), replace or remove.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }
}

public static class DdiSerializer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        MaxDepth = 16,
        // hawkBit (Jackson) takes "timestamp": "1733218554123" as well as a number, and its own Javadoc shows the string.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };
}
