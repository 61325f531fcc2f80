namespace NfOta.TestSummary;

/// <summary>Tests run by one runner (or all of them), by outcome.</summary>
public readonly record struct TestCounts(int Passed, int Failed, int Skipped)
{
    public static TestCounts operator +(TestCounts a, TestCounts b) => new(a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped);
}
