namespace NfOta.Emulator.Flash;

/// <summary>
/// Which bits an interrupted program or erase had finished changing: a byte mask per cell, each bit
/// set with the cut's fraction as probability. Seeded by the cut, so the same cut leaves the same bits.
/// </summary>
internal sealed class UnsettledBits
{
    private readonly Random _random;
    private readonly double _fraction;

    private UnsettledBits(int seed, double fraction)
    {
        _random = new Random(seed);
        _fraction = fraction;
    }

    public static UnsettledBits For(PowerCut cut) => new(unchecked(cut.Seed * 1_000_003 + cut.Operation), Math.Clamp(cut.Fraction, 0.0, 1.0));

    /// <summary>The bits of the next cell that completed their change.</summary>
    public byte Next()
    {
        var mask = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            if (_random.NextDouble() < _fraction) mask |= 1 << bit;
        }
        return (byte)mask;
    }
}
