using NfOta.Fuzz;

namespace NfOta.Core.Tests;

/// <summary>
/// Every parser of untrusted bytes keeps its contract (returns, or throws its documented format
/// exception) on the kept fuzz inputs and on a fixed-seed mutation pass. The long, time-bounded
/// runs are tests/NfOta.Fuzz/fuzz.sh, outside CI.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> TargetNames() => new(Targets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void KeptInputsKeepTheContract(string name)
    {
        var target = Targets.All.Single(t => t.Name == name);
        var dir = Path.Combine(AppContext.BaseDirectory, "fuzz-regressions", name);
        var files = Directory.GetFiles(dir, "*.bin");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var broke = target.Check(File.ReadAllBytes(file));
            Assert.True(broke is null, $"{Path.GetFileName(file)}: {broke}");
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void SeedsParseAndAFixedMutationPassKeepsTheContract(string name)
    {
        var target = Targets.All.Single(t => t.Name == name);
        foreach (var seed in target.Seeds)
        {
            // The seeds are valid: the parser must accept them, or the pass tests nothing.
            Assert.True(target.Run(seed), $"{name}: a seed was not accepted");
        }
        var mutator = new Mutator(20261125);
        var random = new Random(7);
        var rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            var input = mutator.Mutate(target.Seeds[random.Next(target.Seeds.Count)], target.Seeds);
            var broke = target.Check(input);
            Assert.True(broke is null, $"mutation {i} ({input.Length} bytes): {broke}");
            try
            {
                if (!target.Run(input)) rejected++;
            }
            catch (Exception e) when (target.Expected(e))
            {
                rejected++;
            }
        }
        // The mutations must reach the error paths, not only inputs the parser shrugs off.
        Assert.InRange(rejected, 1, 2000);
    }
}
