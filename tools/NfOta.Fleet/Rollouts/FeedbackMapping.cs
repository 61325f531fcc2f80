using System.Text.RegularExpressions;

namespace NfOta.Fleet.Rollouts;

/// <summary>What one DDI feedback says about a board: its state and, for a failure, the engine's error code.</summary>
public sealed record FeedbackMeaning(ActionState State, string? ErrorCode);

/// <summary>
/// Reads a DDI feedback (status.execution, status.result.finished, status.details, status.code) as
/// nf-ota's board states. DDI has no words for rebooted-pending, rolled back or refused, so the
/// board says them in details ("rebooted-pending", "rolled-back", "refused") with the engine's
/// error code as "error=CODE" (a bare code such as "hash-mismatch" is taken too). The rollout
/// only depends on what DDI itself says: closed + failure is a failure whatever the details.
/// </summary>
public static partial class FeedbackMapping
{
    public const int MaxErrorCodeLength = 64;

    /// <summary>Null when the execution or result is not a DDI value.</summary>
    public static FeedbackMeaning? Map(string execution, string finished, IReadOnlyList<string> details, int? code)
    {
        switch (execution)
        {
            case "closed":
                return finished switch
                {
                    // DDI: NONE is not interpreted and handled like SUCCESS.
                    "success" or "none" => new FeedbackMeaning(ActionState.Confirmed, null),
                    "failure" => new FeedbackMeaning(FailureKind(details), ErrorCode(details, code)),
                    _ => null,
                };
            case "download":
                return Known(finished, ActionState.Downloading);
            case "downloaded":
                return Known(finished, ActionState.Downloaded);
            case "proceeding" or "scheduled" or "resumed":
                return Known(finished, Mentions(details, "rebooted-pending") ? ActionState.RebootedPending : ActionState.Installing);
            case "rejected":
                // hawkBit: "cannot be fulfilled at this point in time" (a warning, the action stays open).
                return Known(finished, ActionState.Rejected);
            case "canceled":
                return Known(finished, ActionState.Canceled);
            default:
                return null;
        }
    }

    private static FeedbackMeaning? Known(string finished, ActionState state) =>
        finished is "success" or "failure" or "none" ? new FeedbackMeaning(state, null) : null;

    private static ActionState FailureKind(IReadOnlyList<string> details) =>
        Mentions(details, "rolled-back") ? ActionState.RolledBack
        : Mentions(details, "refused") ? ActionState.Refused
        : ActionState.Failed;

    private static bool Mentions(IReadOnlyList<string> details, string word) =>
        details.Any(d => string.Equals(d.Trim(), word, StringComparison.OrdinalIgnoreCase));

    private static string? ErrorCode(IReadOnlyList<string> details, int? code)
    {
        foreach (var detail in details)
        {
            var match = ErrorPattern().Match(detail);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }
        var bare = details.Select(d => d.Trim())
            .FirstOrDefault(d => CodePattern().IsMatch(d) && !ActionStates.TryParse(d, out _));
        return bare ?? code?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\s*error\s*[=:]\s*([a-z0-9][a-z0-9._-]{0,63})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CodePattern();
}
