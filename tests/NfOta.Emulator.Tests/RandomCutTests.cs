using NfOta.Emulator.Faults;

namespace NfOta.Emulator.Tests;

/// <summary>Seeded random power cuts: the same seed gives the same cuts (a failure replays), another seed others.</summary>
public sealed class RandomCutTests
{
    [Fact]
    public void TheSameSeedGivesTheSameCutsAndAnotherSeedOthers()
    {
        var first = PowerCutRunner.RandomCuts(300, 200, seed: 42).ToList();
        Assert.Equal(first, PowerCutRunner.RandomCuts(300, 200, seed: 42));
        Assert.NotEqual(first, PowerCutRunner.RandomCuts(300, 200, seed: 43));
    }

    [Fact]
    public void CutsLandOnEveryPartOfTheRunAndAtEveryPointOfAMutation()
    {
        var cuts = PowerCutRunner.RandomCuts(50, 2000, seed: 7).ToList();
        Assert.All(cuts, c => Assert.InRange(c.Operation, 1, 50));
        Assert.Equal(50, cuts.Select(c => c.Operation).Distinct().Count());
        Assert.InRange(cuts.Count(c => c.Fraction >= 1.0), 400, 600); // a quarter right after the mutation
        Assert.Contains(cuts, c => c.Fraction < 0.1);
        Assert.Contains(cuts, c => c.Fraction is > 0.9 and < 1.0);
        Assert.True(cuts.Select(c => c.Seed).Distinct().Count() > 1900, "every cut leaves its own bits");
    }

    [Fact]
    public void AScenarioSeedDependsOnTheRunSeedAndTheNameOnly()
    {
        Assert.Equal(CutSeed.For("full update ota_0 -> ota_1"), CutSeed.For("full update ota_0 -> ota_1"));
        Assert.NotEqual(CutSeed.For("full update ota_0 -> ota_1"), CutSeed.For("full update ota_1 -> ota_0"));
    }
}
