using System.Text.RegularExpressions;
using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Admin;

/// <summary>Checks a rollout request and turns it into a draft rollout; every problem is a 400 naming the field.</summary>
public static partial class RolloutRequest
{
    public const int MaxFiles = 64;

    public static RolloutRecord ToDraft(string tenant, RolloutIn body)
    {
        var cohort = Required(body.Cohort, "cohort");
        var version = Required(body.Version, "version");
        if (version.Length > 64 || version.Any(c => c <= ' ' || c > '~'))
        {
            throw Invalid("version: at most 64 printable characters without spaces");
        }
        var files = body.Files ?? throw Invalid("files: the release's files (signed manifest and images) are required");
        if (files.Count is 0 or > MaxFiles)
        {
            throw Invalid($"files: 1 to {MaxFiles} files");
        }
        WavePlan waves;
        try
        {
            waves = body.Waves is null ? WavePlan.Default : WavePlan.Parse(body.Waves);
        }
        catch (FormatException e)
        {
            throw Invalid(e.Message);
        }
        var thresholds = Thresholds(body);
        return new RolloutRecord(0, tenant, cohort, version, BaseUrl(body.BaseUrl), files.Select(File).ToList(), waves, 0, RolloutState.Running, null, thresholds, 0);
    }

    private static RolloutThresholds Thresholds(RolloutIn body)
    {
        var defaults = new RolloutThresholds();
        var thresholds = new RolloutThresholds
        {
            SuccessPercent = body.SuccessPercent ?? defaults.SuccessPercent,
            MaxFailures = body.MaxFailures is 0 ? null : body.MaxFailures ?? defaults.MaxFailures,
            MaxFailurePercent = body.MaxFailurePercent is 0 ? null : body.MaxFailurePercent ?? defaults.MaxFailurePercent,
            MinFinished = body.MinFinished ?? defaults.MinFinished,
            ConfirmDeadline = body.ConfirmDeadlineSeconds is { } s ? TimeSpan.FromSeconds(s) : defaults.ConfirmDeadline,
        };
        return thresholds.Problem() is { } problem ? throw Invalid(problem) : thresholds;
    }

    private static string BaseUrl(string? value)
    {
        var text = Required(value, "baseUrl");
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw Invalid("baseUrl: an absolute http(s) URL of the release folder, without query");
        }
        return uri.AbsoluteUri;
    }

    private static ReleaseFile File(ReleaseFileIn f)
    {
        var name = Required(f.Filename, "files[].filename");
        if (name.Length > 255 || name is "." or ".." || name.Any(c => c < ' ' || c is '/' or '\\'))
        {
            throw Invalid($"files[].filename '{name}': a plain file name");
        }
        if (f.Size < 0)
        {
            throw Invalid($"files[].size of '{name}' is negative");
        }
        return new ReleaseFile(name, f.Size, Hex(f.Sha1, 40, "sha1", name), Hex(f.Md5, 32, "md5", name), Hex(f.Sha256, 64, "sha256", name));
    }

    private static string Hex(string? value, int length, string field, string file) =>
        value is not null && value.Length == length && HexPattern().IsMatch(value)
            ? value.ToLowerInvariant()
            : throw Invalid($"files[].{field} of '{file}': {length} hex digits");

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"{field} is required") : value;

    private static FleetException Invalid(string message) => FleetException.BadRequest("invalid-rollout", message);

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();
}
