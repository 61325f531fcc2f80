namespace NfOta.Fleet.Rollouts;

/// <summary>A rollout's life: running (waves open as they succeed), paused (by its error condition or the operator), aborted, completed.</summary>
public enum RolloutState
{
    Running,
    Paused,
    Aborted,
    Completed,
}

public static class RolloutStates
{
    public static string Name(this RolloutState state) => state.ToString().ToLowerInvariant();

    public static RolloutState Parse(string name) => Enum.Parse<RolloutState>(name, ignoreCase: true);
}
