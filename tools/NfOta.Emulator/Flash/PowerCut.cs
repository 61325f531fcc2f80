namespace NfOta.Emulator.Flash;

/// <summary>
/// Where to cut power: during the <see cref="Operation"/>-th program or erase (1-based, counted
/// from when the cut is armed). <see cref="Fraction"/> 1 cuts right after it completes; a smaller
/// value cuts part-way, leaving that fraction of a program written or of an erase done.
/// </summary>
public readonly record struct PowerCut(int Operation, double Fraction = 1.0)
{
    public override string ToString() => Fraction >= 1.0 ? $"after mutation #{Operation}" : $"during mutation #{Operation} at {Fraction:P0}";
}

/// <summary>Thrown by the flash when power is cut; everything the device did in RAM is lost.</summary>
public sealed class PowerLossException(PowerCut cut, FlashOperation operation)
    : Exception($"power lost {cut} ({operation})")
{
    public PowerCut Cut { get; } = cut;

    public FlashOperation Operation { get; } = operation;
}
