using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;

namespace NfOta.Core.Tests;

/// <summary>
/// How a power-cut scenario reports itself: one line per scenario that the test run's summary
/// (tests/NfOta.TestSummary) adds up, and the cuts themselves (every mutation plus seeded random ones).
/// </summary>
internal static class CutReport
{
    /// <summary>The every-mutation cuts followed by <paramref name="random"/> seeded random ones for this scenario.</summary>
    public static List<PowerCut> WithRandom(IEnumerable<PowerCut> everyMutation, int mutations, int random, string scenario) =>
        [.. everyMutation, .. PowerCutRunner.RandomCuts(mutations, random, CutSeed.For(scenario))];

    public static string Line(string scenario, int mutations, int cuts, int random, int failures) =>
        $"power-cuts: {cuts} cut points ({random} random, seed {CutSeed.Current}), {failures} failures | {scenario}: {mutations} flash mutations";

    /// <summary>
    /// The end of every power-cut scenario: its line for the run's summary (<paramref name="label"/>
    /// names it there), then no cut may have failed (the first ten shown with how to replay them), and
    /// every cut must have fired.
    /// </summary>
    public static void AssertHeld(Xunit.Abstractions.ITestOutputHelper output, string label, string scenario, int mutations, int random, IReadOnlyList<PowerCutRunner.Outcome> outcomes)
    {
        var failures = outcomes.Where(o => !o.Ok).ToList();
        output.WriteLine(Line(label, mutations, outcomes.Count, random, failures.Count));
        Assert.True(failures.Count == 0, Replay(scenario) + ": " + string.Join("\n", failures.Take(10)));
        Assert.All(outcomes, o => Assert.True(o.Triggered, $"{o.Cut} never fired"));
    }

    /// <summary>What to put in front of a failure so it replays.</summary>
    public static string Replay(string scenario) => $"{scenario} ({CutSeed.Variable}={CutSeed.Current} replays the random cuts)";
}
