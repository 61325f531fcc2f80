using NfOta.Emulator.Boot;
using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;

namespace NfOta.Emulator.Faults;

/// <summary>
/// Runs a scenario again and again on fresh boards, cutting power at a different flash mutation
/// each time (after it, or part-way through it), then powers the board back on and lets a check
/// judge the result. This is MCUboot's simulator idea applied to ESP-IDF's OTA path.
/// </summary>
public static class PowerCutRunner
{
    /// <summary>One cut: where, whether the scenario got that far, how the board came back, and the check's verdict.</summary>
    public sealed record Outcome(PowerCut Cut, bool Triggered, BootReport? Recovery, string? Failure)
    {
        public bool Ok => Failure is null;

        public override string ToString() => Ok ? $"{Cut}: ok" : $"{Cut}: {Failure}";
    }

    /// <summary>How many flash mutations the scenario makes when nothing goes wrong.</summary>
    public static int CountMutations(Func<VirtualEsp32> createBoard, Action<VirtualEsp32> scenario)
    {
        var board = createBoard();
        var before = board.Flash.MutationCount;
        scenario(board);
        return board.Flash.MutationCount - before;
    }

    /// <summary>After each mutation, and early, half-way and late through it.</summary>
    public static readonly double[] StandardFractions = [1.0, 0.1, 0.5, 0.9];

    /// <summary>
    /// Every mutation, cut after it and (when <paramref name="fractions"/> has more values) part-way
    /// through it; each cut has its own seed for the bits it leaves unsettled, the same on every run.
    /// </summary>
    public static IEnumerable<PowerCut> EveryMutation(int mutations, params double[] fractions) =>
        EveryMutation(mutations, _ => fractions.Length == 0 ? [1.0] : fractions);

    /// <summary>As above, with the fractions chosen per mutation (e.g. fewer where only the update slot is written).</summary>
    public static IEnumerable<PowerCut> EveryMutation(int mutations, Func<int, double[]> fractionsOf)
    {
        for (var n = 1; n <= mutations; n++)
        {
            var fractions = fractionsOf(n);
            for (var i = 0; i < fractions.Length; i++) yield return new PowerCut(n, fractions[i], Seed: n * 31 + i);
        }
    }

    /// <summary>
    /// <paramref name="count"/> cuts drawn from <paramref name="seed"/>: a random mutation, a random
    /// point in it (a quarter of them right after it), and random bits left unsettled. What the
    /// every-mutation cuts cannot reach: fractions other than the standard ones, other bit patterns.
    /// </summary>
    public static IEnumerable<PowerCut> RandomCuts(int mutations, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mutations, 1);
        var random = new System.Random(seed);
        for (var i = 0; i < count; i++)
        {
            var operation = random.Next(1, mutations + 1);
            var fraction = random.Next(4) == 0 ? 1.0 : Math.Max(random.NextDouble(), 0.001);
            yield return new PowerCut(operation, fraction, Seed: random.Next());
        }
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> once, uncut, keeping the board before every mutation, then
    /// each cut from its checkpoint (<see cref="MutationCheckpoints"/>). <paramref name="check"/>
    /// gets the recovered board (already powered back on) and the cut as the flash experienced it
    /// (a part-way cut that settled every bit arrives as a cut after the mutation) and returns null
    /// when all is well, or what is wrong.
    /// </summary>
    public static IReadOnlyList<Outcome> Run(
        Func<VirtualEsp32> createBoard,
        Action<VirtualEsp32> scenario,
        IEnumerable<PowerCut> cuts,
        Func<VirtualEsp32, PowerCut, string?> check) =>
        Run(MutationCheckpoints.Record(createBoard(), scenario), cuts, check);

    /// <summary>Each cut from the recorded run's checkpoints.</summary>
    public static IReadOnlyList<Outcome> Run(MutationCheckpoints checkpoints, IEnumerable<PowerCut> cuts, Func<VirtualEsp32, PowerCut, string?> check)
    {
        var uncutViolation = checkpoints.Violations.Count > 0 ? $"flash violation in the uncut run: {checkpoints.Violations[0]}" : null;
        var outcomes = new List<Outcome>();
        foreach (var cut in cuts)
        {
            var board = checkpoints.CutAt(cut, out var triggered);
            outcomes.Add(Recover(board, cut, triggered, uncutViolation, check));
        }
        return outcomes;
    }

    /// <summary>
    /// The slow, literal way: the scenario runs again on a fresh board up to every cut. Kept to
    /// prove that cutting from checkpoints leaves exactly the same flash.
    /// </summary>
    public static IReadOnlyList<Outcome> RunByReplay(
        Func<VirtualEsp32> createBoard,
        Action<VirtualEsp32> scenario,
        IEnumerable<PowerCut> cuts,
        Func<VirtualEsp32, PowerCut, string?> check)
    {
        var outcomes = new List<Outcome>();
        foreach (var cut in cuts)
        {
            var board = CutByReplay(createBoard(), scenario, cut, out var triggered);
            outcomes.Add(Recover(board, cut, triggered, null, check));
        }
        return outcomes;
    }

    /// <summary>
    /// <paramref name="board"/> after <paramref name="scenario"/> ran on it up to <paramref name="cut"/>
    /// (powered off): what <see cref="MutationCheckpoints.CutAt"/> must equal.
    /// </summary>
    public static VirtualEsp32 CutByReplay(VirtualEsp32 board, Action<VirtualEsp32> scenario, PowerCut cut, out bool triggered)
    {
        board.Flash.LogReads = false;
        board.Flash.ArmPowerCut(cut);
        triggered = false;
        try
        {
            scenario(board);
        }
        catch (PowerLossException)
        {
            triggered = true;
        }
        board.Flash.DisarmPowerCut();
        return board;
    }

    private static Outcome Recover(VirtualEsp32 board, PowerCut cut, bool triggered, string? earlier, Func<VirtualEsp32, PowerCut, string?> check)
    {
        BootReport recovery;
        try
        {
            recovery = board.PowerOn();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Outcome(cut, triggered, null, $"power-on threw {e.GetType().Name}: {e.Message}");
        }
        // An interrupted mutation that happened to settle every bit is, to the flash, a completed one.
        var experienced = triggered && board.Flash.LastPowerLoss is { } loss ? loss.AsExperienced : cut;
        var failure = earlier
            ?? (!recovery.Booted ? $"did not boot: {recovery.Reason}"
            : board.Flash.Violations.Count > 0 ? $"flash violation: {board.Flash.Violations[0]}"
            : check(board, experienced));
        return new Outcome(cut, triggered, recovery, failure);
    }
}
