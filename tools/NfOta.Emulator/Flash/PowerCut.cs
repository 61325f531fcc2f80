namespace NfOta.Emulator.Flash;

/// <summary>
/// Where to cut power: during the <see cref="Operation"/>-th program or erase (1-based, counted
/// from when the cut is armed). <see cref="Fraction"/> 1 cuts right after it completes; a smaller
/// value cuts part-way, when that fraction of the operation's time has passed. NOR programs a page
/// and erases a sector as a whole, so an interrupted one leaves every bit it was changing
/// indeterminate: each has flipped with probability <see cref="Fraction"/>, drawn from
/// <see cref="Seed"/> so a failing cut replays bit for bit.
/// </summary>
public readonly record struct PowerCut(int Operation, double Fraction = 1.0, int Seed = 0)
{
    public override string ToString() =>
        Fraction >= 1.0 ? $"after mutation #{Operation}" : $"during mutation #{Operation} at {Fraction:P0} (seed {Seed})";
}

/// <summary>Thrown by the flash when power is cut; everything the device did in RAM is lost.</summary>
public sealed class PowerLossException(PowerCut cut, FlashOperation operation, bool everyBitSettled = true)
    : Exception($"power lost {cut} ({operation})")
{
    public PowerCut Cut { get; } = cut;

    /// <summary>
    /// True when the interrupted mutation had nonetheless changed every bit it was changing (likely
    /// near the end of a short program): the flash cannot tell it from a completed one, so whoever
    /// judges the outcome must treat it as completed.
    /// </summary>
    public bool EveryBitSettled { get; } = everyBitSettled;

    /// <summary>The cut as the flash experienced it: one that left every bit settled is a cut after the mutation.</summary>
    public PowerCut AsExperienced => EveryBitSettled ? Cut with { Fraction = 1.0 } : Cut;

    public FlashOperation Operation { get; } = operation;
}
