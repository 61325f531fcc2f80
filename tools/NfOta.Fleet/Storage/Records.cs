using NfOta.Fleet.Rollouts;

namespace NfOta.Fleet.Storage;

/// <summary>A board as the server knows it. Attributes are what it last sent in configData.</summary>
public sealed record DeviceRecord(
    string Tenant,
    string ControllerId,
    string? TokenHash,
    bool RequestAttributes,
    IReadOnlyDictionary<string, string> Attributes,
    long CreatedMs,
    long? LastSeenMs);

/// <summary>One file of an nf-ota release (the signed manifest or an image), as the device is told about it.</summary>
public sealed record ReleaseFile(string Filename, long Size, string Sha1, string Md5, string Sha256);

/// <summary>A release rolled out to a cohort: the files live under <see cref="BaseUrl"/> (nfota serve, any static host or CDN).</summary>
public sealed record RolloutRecord(
    long Id,
    string Tenant,
    string Cohort,
    string Version,
    string BaseUrl,
    IReadOnlyList<ReleaseFile> Files,
    WavePlan Waves,
    int Wave,
    RolloutState State,
    string? Reason,
    RolloutThresholds Thresholds,
    long CreatedMs)
{
    /// <summary>Failures and finishes the operator accepted by resuming (the error condition counts only later ones).</summary>
    public int ForgivenFailed { get; init; }

    public int ForgivenFinished { get; init; }
}

/// <summary>One board's part in one rollout (DDI's action; its id is the actionId in the URLs).</summary>
public sealed record ActionRecord(
    long Id,
    long RolloutId,
    string Tenant,
    string ControllerId,
    int Wave,
    ActionState State,
    string? ErrorCode,
    long OfferedMs,
    long UpdatedMs);

/// <summary>A board with the state of its latest action, for the operator's list.</summary>
public sealed record DeviceSummary(
    string ControllerId,
    long? LastSeenMs,
    IReadOnlyDictionary<string, string> Attributes,
    long? RolloutId,
    long? ActionId,
    string? Version,
    string? State,
    string? ErrorCode);
