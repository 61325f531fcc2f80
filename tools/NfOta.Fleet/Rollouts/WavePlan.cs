using System.Globalization;

namespace NfOta.Fleet.Rollouts;

/// <summary>
/// Cumulative wave sizes in percent of the cohort (default 1, 10, 50, 100): wave i holds the boards
/// whose bucket is below its size and not below the previous one's, so a board stays in its wave.
/// </summary>
public sealed class WavePlan
{
    public static readonly WavePlan Default = Parse("1,10,50,100");

    private readonly int[] _limits; // exclusive bucket limits, basis points

    private WavePlan(double[] percents, int[] limits)
    {
        Percents = percents;
        _limits = limits;
    }

    public IReadOnlyList<double> Percents { get; }

    public int Count => _limits.Length;

    /// <summary>Parses "1,10,50,100": increasing, each above 0, the last exactly 100.</summary>
    public static WavePlan Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 20)
        {
            throw new FormatException("waves: 1 to 20 comma-separated percentages, the last 100");
        }
        var percents = new double[parts.Length];
        var limits = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p <= 0 || p > 100)
            {
                throw new FormatException($"waves: '{parts[i]}' is not a percentage above 0 and at most 100");
            }
            percents[i] = p;
            limits[i] = (int)Math.Round(p * Bucketing.Buckets / 100);
            if (i > 0 && limits[i] <= limits[i - 1])
            {
                throw new FormatException("waves: each wave must be larger than the one before");
            }
        }
        if (limits[^1] != Bucketing.Buckets)
        {
            throw new FormatException("waves: the last wave must be 100 so every board is reached");
        }
        return new WavePlan(percents, limits);
    }

    /// <summary>The wave a bucket belongs to (0-based).</summary>
    public int WaveOf(int bucket)
    {
        for (var i = 0; i < _limits.Length; i++)
        {
            if (bucket < _limits[i])
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(bucket));
    }

    public override string ToString() => string.Join(',', Percents.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
