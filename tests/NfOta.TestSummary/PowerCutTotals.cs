using System.Text.RegularExpressions;

namespace NfOta.TestSummary;

/// <summary>
/// The power-cut matrices' own lines ("power-cuts: N cut points (R random, seed S), F failures | ...",
/// written by tests/NfOta.Core.Tests/CutReport.cs), added up.
/// </summary>
public sealed partial class PowerCutTotals
{
    public int Scenarios { get; private set; }

    public int CutPoints { get; private set; }

    public int Random { get; private set; }

    public int Failures { get; private set; }

    public SortedSet<string> Seeds { get; } = [];

    public void Add(string line)
    {
        var match = Pattern().Match(line);
        if (!match.Success) return;
        Scenarios++;
        CutPoints += int.Parse(match.Groups["cuts"].Value);
        Random += int.Parse(match.Groups["random"].Value);
        Failures += int.Parse(match.Groups["failures"].Value);
        Seeds.Add(match.Groups["seed"].Value);
    }

    [GeneratedRegex(@"power-cuts: (?<cuts>\d+) cut points \((?<random>\d+) random, seed (?<seed>-?\d+)\), (?<failures>\d+) failures")]
    private static partial Regex Pattern();
}
