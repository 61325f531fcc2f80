namespace NfOta.Emulator.Faults;

/// <summary>
/// The seed of this run's random power cuts. New every run, so each run tries cuts no run tried
/// before; set NFOTA_CUT_SEED to replay a run exactly (the test output prints the seed).
/// </summary>
public static class CutSeed
{
    public const string Variable = "NFOTA_CUT_SEED";

    private static readonly Lazy<int> Run = new(() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), out var fixedSeed) ? fixedSeed : Random.Shared.Next());

    /// <summary>This run's seed.</summary>
    public static int Current => Run.Value;

    /// <summary>A seed of its own for one scenario, the same for the same run seed and name on every machine.</summary>
    public static int For(string scenario)
    {
        var hash = 2166136261u; // FNV-1a: string.GetHashCode differs between processes
        foreach (var c in scenario) hash = (hash ^ c) * 16777619u;
        return unchecked((int)hash ^ Current);
    }
}
