namespace NfOta.Fleet.Rollouts;

/// <summary>Where one board is in one rollout. Names on the wire and in the database are the kebab-case ones in <see cref="ActionStates"/>.</summary>
public enum ActionState
{
    Pending,
    Retrieved,
    Rejected,
    Downloading,
    Downloaded,
    Installing,
    RebootedPending,
    Confirmed,
    RolledBack,
    Refused,
    Failed,
    TimedOut,
    Canceled,
}

public static class ActionStates
{
    private static readonly Dictionary<ActionState, string> Names = new()
    {
        [ActionState.Pending] = "pending",
        [ActionState.Retrieved] = "retrieved",
        [ActionState.Rejected] = "rejected",
        [ActionState.Downloading] = "downloading",
        [ActionState.Downloaded] = "downloaded",
        [ActionState.Installing] = "installing",
        [ActionState.RebootedPending] = "rebooted-pending",
        [ActionState.Confirmed] = "confirmed",
        [ActionState.RolledBack] = "rolled-back",
        [ActionState.Refused] = "refused",
        [ActionState.Failed] = "failed",
        [ActionState.TimedOut] = "timed-out",
        [ActionState.Canceled] = "canceled",
    };

    private static readonly Dictionary<string, ActionState> ByName = Names.ToDictionary(p => p.Value, p => p.Key);

    public static string Name(this ActionState state) => Names[state];

    public static ActionState Parse(string name) =>
        ByName.TryGetValue(name, out var state) ? state : throw new FormatException($"unknown action state '{name}'");

    public static bool TryParse(string name, out ActionState state) => ByName.TryGetValue(name, out state);

    /// <summary>The rollout counts these against its error condition (the list: refused, rolled back, no confirmation in time; and any other failure the board closes with).</summary>
    public static bool IsFailure(this ActionState state) =>
        state is ActionState.RolledBack or ActionState.Refused or ActionState.Failed or ActionState.TimedOut;

    /// <summary>No more feedback is taken for a closed action (DDI answers 410 Gone).</summary>
    public static bool IsClosed(this ActionState state) =>
        state is ActionState.Confirmed or ActionState.Canceled || state.IsFailure();

    /// <summary>How far an open action has got; feedback may not go back (rejected is outside the order: the board may say "not now" at any point and start again).</summary>
    public static int Progress(this ActionState state) => state switch
    {
        ActionState.Pending => 0,
        ActionState.Retrieved => 1,
        ActionState.Downloading => 2,
        ActionState.Downloaded => 3,
        ActionState.Installing => 4,
        ActionState.RebootedPending => 5,
        _ => 10,
    };
}
