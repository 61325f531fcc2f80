namespace NfOta.Fleet.Rollouts;

/// <summary>
/// The tallies of a rollout's actions (every wave opened so far). The forgiven counts are the
/// failures and finishes there were when the operator last resumed: the error condition counts
/// only what happened since, or a resumed rollout would pause again at once.
/// </summary>
public sealed record RolloutCounts(int Offered, int Confirmed, int Failed, int Finished, int ForgivenFailed = 0, int ForgivenFinished = 0)
{
    /// <summary>Offered boards that have not closed their action yet.</summary>
    public int Open => Offered - Finished;

    public int NewFailed => Failed - ForgivenFailed;

    public int NewFinished => Finished - ForgivenFinished;
}

public enum RolloutStep
{
    Nothing,
    Pause,
    OpenNextWave,
    Complete,
}

/// <summary>What to do next; <see cref="Reason"/> says why in words for the operator.</summary>
public sealed record RolloutDecision(RolloutStep Step, string? Reason = null);

/// <summary>
/// The rollout's state machine as one pure function: error condition first (a failing wave never
/// opens the next), then the success condition of the wave last opened.
/// </summary>
public static class RolloutPolicy
{
    public static RolloutDecision Decide(RolloutState state, int wave, int waveCount, RolloutThresholds limits, RolloutCounts counts)
    {
        if (state != RolloutState.Running)
        {
            return new RolloutDecision(RolloutStep.Nothing);
        }
        if (ErrorConditionMet(limits, counts) is { } why)
        {
            return new RolloutDecision(RolloutStep.Pause, why);
        }
        // Nobody offered yet (a small cohort's 1 % can be empty) counts as done: move on.
        var successful = counts.Confirmed * 100.0 >= limits.SuccessPercent * counts.Offered;
        var last = wave + 1 >= waveCount;
        if (counts.Open > 0 && (!successful || last))
        {
            return new RolloutDecision(RolloutStep.Nothing);
        }
        if (last)
        {
            // Every board has had its turn; below the success condition is said, not hidden.
            return new RolloutDecision(RolloutStep.Complete,
                successful ? "every offered board finished" : $"every offered board finished; {counts.Confirmed} of {counts.Offered} confirmed");
        }
        return successful
            ? new RolloutDecision(RolloutStep.OpenNextWave, $"wave {wave + 1} reached {limits.SuccessPercent}% confirmed")
            // Finished below the success condition without meeting the error condition: the operator decides.
            : new RolloutDecision(RolloutStep.Pause, $"wave {wave + 1} finished with {counts.Confirmed} of {counts.Offered} confirmed (needs {limits.SuccessPercent}%)");
    }

    /// <summary>Null while the error condition is not met, else why it is.</summary>
    public static string? ErrorConditionMet(RolloutThresholds limits, RolloutCounts counts)
    {
        if (limits.MaxFailures is { } n && counts.NewFailed >= n)
        {
            return $"{counts.NewFailed} boards failed (limit {n})";
        }
        if (limits.MaxFailurePercent is { } p && counts.NewFinished > 0 && counts.NewFinished >= limits.MinFinished
            && counts.NewFailed * 100.0 >= p * counts.NewFinished)
        {
            return $"{counts.NewFailed} of {counts.NewFinished} finished boards failed (limit {p}% after {limits.MinFinished})";
        }
        return null;
    }
}
