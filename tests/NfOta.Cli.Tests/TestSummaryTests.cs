using System.Xml.Linq;
using NfOta.TestSummary;

namespace NfOta.Cli.Tests;

/// <summary>The test run's closing line adds up what VSTest's TRX and CTest's JUnit files say, and the power-cut lines.</summary>
public sealed class TestSummaryTests
{
    [Fact]
    public void TrxCountsErrorsAndTimeoutsAsFailures()
    {
        var trx = XDocument.Parse("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Failed"><Counters total="12" executed="11" passed="8" failed="1" error="1" timeout="1" aborted="0" notExecuted="1" /></ResultSummary>
            </TestRun>
            """);
        Assert.Equal(new TestCounts(8, 3, 1), ResultFiles.FromTrx(trx));
    }

    [Fact]
    public void JUnitFromCTestCountsEverySuite()
    {
        var junit = XDocument.Parse("""<testsuite name="x" tests="86" failures="2" errors="0" skipped="1" disabled="0" />""");
        Assert.Equal(new TestCounts(83, 2, 1), ResultFiles.FromJUnit(junit));
        Assert.Throws<FormatException>(() => ResultFiles.FromJUnit(XDocument.Parse("<nothing />")));
    }

    [Fact]
    public void PowerCutLinesAreAddedUpWithTheirSeeds()
    {
        var totals = new PowerCutTotals();
        totals.Add("power-cuts: 820 cut points (300 random, seed -15), 0 failures | pre-encrypted esp32/rsa3072: 260 flash mutations");
        totals.Add("power-cuts: 8 cut points (0 random, seed -15), 1 failures | confirm ota_1 (mark valid): 2 flash mutations");
        totals.Add("full update: 260 flash mutations, 524 cut points"); // not a report line
        Assert.Equal((2, 828, 300, 1), (totals.Scenarios, totals.CutPoints, totals.Random, totals.Failures));
        Assert.Equal(["-15"], totals.Seeds);
    }

    [Fact]
    public void TheOutputOfEachTestIsRead()
    {
        var trx = XDocument.Parse("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              <UnitTestResult><Output><StdOut>a
            power-cuts: 5 cut points (1 random, seed 3), 0 failures | x</StdOut></Output></UnitTestResult>
            </Results></TestRun>
            """);
        Assert.Contains("power-cuts: 5 cut points (1 random, seed 3), 0 failures | x", ResultFiles.OutputLines(trx));
    }

    [Fact]
    public void FailedTestsAreNamedWithTheFirstLineOfTheirMessage()
    {
        var trx = XDocument.Parse("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              <UnitTestResult testName="A.Passes" outcome="Passed" />
              <UnitTestResult testName="A.Fails(chip: &quot;esp32&quot;)" outcome="Failed"><Output><ErrorInfo><Message>
            firmware + app esp32: during mutation #315
            second line</Message></ErrorInfo></Output></UnitTestResult>
            </Results></TestRun>
            """);
        Assert.Equal(["A.Fails(chip: \"esp32\"): firmware + app esp32: during mutation #315"], ResultFiles.FailuresFromTrx(trx));
        var junit = XDocument.Parse("""
            <testsuite tests="2" failures="1"><testcase name="EraseAhead.Ok" /><testcase name="EraseAhead.Bad"><failure message="Failed" /></testcase></testsuite>
            """);
        Assert.Equal(["EraseAhead.Bad: Failed"], ResultFiles.FailuresFromJUnit(junit));
    }
}
