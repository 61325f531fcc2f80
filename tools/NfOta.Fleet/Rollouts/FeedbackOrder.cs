namespace NfOta.Fleet.Rollouts;

public enum FeedbackVerdict
{
    /// <summary>The state moves on: record it.</summary>
    Advance,

    /// <summary>The same state again (a resent or progress message): accepted, nothing changes.</summary>
    Repeat,

    /// <summary>Behind where the board already is (a delayed or replayed message): refused, 409.</summary>
    OutOfOrder,

    /// <summary>The action is closed: refused, 410 as hawkBit answers.</summary>
    Gone,
}

/// <summary>Whether a feedback may move an action from its current state; replays and stale messages never move it back.</summary>
public static class FeedbackOrder
{
    public static FeedbackVerdict Judge(ActionState current, ActionState next)
    {
        if (current.IsClosed())
        {
            return FeedbackVerdict.Gone;
        }
        if (next == current)
        {
            return FeedbackVerdict.Repeat;
        }
        if (next == ActionState.Rejected || current == ActionState.Rejected || next.IsClosed())
        {
            return FeedbackVerdict.Advance;
        }
        return next.Progress() > current.Progress() ? FeedbackVerdict.Advance : FeedbackVerdict.OutOfOrder;
    }
}
