namespace NfOta.Fleet.Rollouts;

/// <summary>
/// A rollout's success and error conditions (hawkBit's rollout groups have the same two).
/// A wave is done when <see cref="SuccessPercent"/> of the boards offered so far confirmed.
/// The rollout pauses itself when failures reach <see cref="MaxFailures"/> (at any time) or
/// <see cref="MaxFailurePercent"/> of the finished boards once <see cref="MinFinished"/> have finished.
/// A board that has not confirmed <see cref="ConfirmDeadline"/> after it was offered the release has failed.
/// </summary>
public sealed record RolloutThresholds
{
    public double SuccessPercent { get; init; } = 95;

    public int? MaxFailures { get; init; } = 5;

    public double? MaxFailurePercent { get; init; } = 10;

    public int MinFinished { get; init; } = 10;

    public TimeSpan ConfirmDeadline { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Null when valid, else what is wrong.</summary>
    public string? Problem() =>
        SuccessPercent is <= 0 or > 100 ? "successPercent must be above 0 and at most 100"
        : MaxFailures is < 1 ? "maxFailures must be at least 1"
        : MaxFailurePercent is <= 0 or > 100 ? "maxFailurePercent must be above 0 and at most 100"
        : MinFinished < 0 ? "minFinished must not be negative"
        : ConfirmDeadline <= TimeSpan.Zero ? "confirmDeadlineSeconds must be above 0"
        : null;
}
