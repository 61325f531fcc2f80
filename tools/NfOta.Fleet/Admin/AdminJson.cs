namespace NfOta.Fleet.Admin;

// The admin API's bodies (camelCase JSON). Counts are per rollout and per wave.

public sealed record TenantIn(string? GatewayToken);

public sealed record DeviceIn(string? ControllerId, string? TargetToken);

public sealed record DevicesIn(List<DeviceIn>? Devices);

public sealed record CohortIn(string? Name, List<string>? Devices);

public sealed record MembersIn(List<string>? Devices);

public sealed record ReleaseFileIn(string? Filename, long Size, string? Sha1, string? Md5, string? Sha256);

/// <summary>maxFailures / maxFailurePercent 0 turns that limit off; absent values take the defaults.</summary>
public sealed record RolloutIn(
    string? Cohort,
    string? Version,
    string? BaseUrl,
    List<ReleaseFileIn>? Files,
    string? Waves,
    double? SuccessPercent,
    int? MaxFailures,
    double? MaxFailurePercent,
    int? MinFinished,
    int? ConfirmDeadlineSeconds);

public sealed record CountsOut(int Offered, int Confirmed, int Failed, int Finished, int Open, double FailureRate);

public sealed record WaveOut(int Wave, double Percent, bool Open, CountsOut Counts);

public sealed record CohortOut(string Name, int Devices);

/// <summary>A rollout as the operator (and a dashboard or demo) sees it; boards never offered = cohortSize - counts.offered.</summary>
public sealed record RolloutOut(
    long Id,
    string Cohort,
    int CohortSize,
    string Version,
    string BaseUrl,
    string State,
    string? Reason,
    int Wave,
    IReadOnlyList<WaveOut> Waves,
    CountsOut Counts);

public sealed record DeviceOut(
    string ControllerId,
    DateTimeOffset? LastSeen,
    IReadOnlyDictionary<string, string> Attributes,
    long? Rollout,
    long? Action,
    string? Version,
    string? State,
    string? ErrorCode);
