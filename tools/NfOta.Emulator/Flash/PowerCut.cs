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
public sealed class PowerLossException(PowerCut cut, FlashOperation operation)
    : Exception($"power lost {cut} ({operation})")
{
    public PowerCut Cut { get; } = cut;

    public FlashOperation Operation { get; } = operation;
}
