using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;

namespace NfOta.Emulator.Faults;

/// <summary>
/// One uncut run of a scenario, kept as the board before each of its flash mutations plus the
/// mutation itself. A cut at mutation n then starts from checkpoint n and runs only that mutation,
/// instead of running the scenario's first n-1 mutations again: the same flash, bit for bit, as a
/// replay (the scenario is deterministic; <see cref="PowerCutRunner.RunByReplay"/> checks it), at
/// the cost of one copy-on-write board.
/// </summary>
public sealed class MutationCheckpoints
{
    private readonly List<(VirtualEsp32 Before, MutationRecord Mutation, long Observed)> _steps;
    private readonly VirtualEsp32 _after;

    private MutationCheckpoints(List<(VirtualEsp32, MutationRecord, long)> steps, VirtualEsp32 after, IReadOnlyList<NorFlash.Violation> violations)
    {
        _steps = steps;
        _after = after;
        Violations = violations;
    }

    /// <summary>Flash mutations the scenario makes when nothing goes wrong.</summary>
    public int Count => _steps.Count;

    /// <summary>Programs of a 0 bit back to 1 during the uncut run (there must be none).</summary>
    public IReadOnlyList<NorFlash.Violation> Violations { get; }

    /// <summary>What mutation <paramref name="n"/> (1-based) did.</summary>
    public MutationRecord Mutation(int n) => _steps[n - 1].Mutation;

    /// <summary>
    /// What <c>observe</c> returned just before mutation <paramref name="n"/>: state outside the
    /// board that a replay would have reached by then (e.g. the bytes a server had sent).
    /// </summary>
    public long Observed(int n) => _steps[n - 1].Observed;

    /// <summary>
    /// Runs <paramref name="scenario"/> once on <paramref name="board"/>, keeping the board before
    /// every mutation (and what <paramref name="observe"/> says then, when given).
    /// </summary>
    public static MutationCheckpoints Record(VirtualEsp32 board, Action<VirtualEsp32> scenario, Func<long>? observe = null)
    {
        var steps = new List<(VirtualEsp32, MutationRecord, long)>();
        var violationsBefore = board.Flash.Violations.Count;
        board.Flash.BeforeMutation = mutation => steps.Add((board.PoweredOffCopy(), mutation, observe?.Invoke() ?? 0));
        try
        {
            scenario(board);
        }
        finally
        {
            board.Flash.BeforeMutation = null;
        }
        return new MutationCheckpoints(steps, board.PoweredOffCopy(), board.Flash.Violations.Skip(violationsBefore).ToList());
    }

    /// <summary>
    /// A board as the scenario leaves it when power is cut at <paramref name="cut"/> (powered off;
    /// power it on to recover). <paramref name="triggered"/> is false when the scenario ends before
    /// the cut's mutation: the board is then as the uncut run left it.
    /// </summary>
    public VirtualEsp32 CutAt(PowerCut cut, out bool triggered)
    {
        triggered = false;
        if (cut.Operation > _steps.Count) return _after.PoweredOffCopy();
        var (before, mutation, _) = _steps[cut.Operation - 1];
        var board = before.PoweredOffCopy();
        board.Flash.LogReads = false;
        board.Flash.ArmPowerCut(cut, alreadyCounted: cut.Operation - 1);
        try
        {
            board.Flash.Apply(mutation);
        }
        catch (PowerLossException)
        {
            triggered = true;
        }
        board.Flash.DisarmPowerCut();
        return board;
    }
}
