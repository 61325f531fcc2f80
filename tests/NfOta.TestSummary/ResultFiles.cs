using System.Xml.Linq;

namespace NfOta.TestSummary;

/// <summary>Reads the counts out of the files the runners leave: VSTest's TRX and CTest's JUnit XML.</summary>
public static class ResultFiles
{
    /// <summary>TRX: TestRun/ResultSummary/Counters, attributes passed, failed (+ error, timeout, aborted) and notExecuted.</summary>
    public static TestCounts FromTrx(XDocument trx)
    {
        var counters = trx.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters")
            ?? throw new FormatException("a TRX file without ResultSummary/Counters");
        int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
        return new TestCounts(Count("passed"), Count("failed") + Count("error") + Count("timeout") + Count("aborted"), Count("notExecuted"));
    }

    /// <summary>JUnit (ctest --output-junit): testsuite attributes tests, failures, errors, skipped, disabled.</summary>
    public static TestCounts FromJUnit(XDocument junit)
    {
        var suites = junit.Root?.Name.LocalName == "testsuite" ? [junit.Root] : junit.Descendants("testsuite").ToList();
        if (suites.Count == 0) throw new FormatException("a JUnit file without a testsuite");
        var total = new TestCounts();
        foreach (var suite in suites)
        {
            int Count(string name) => int.TryParse(suite.Attribute(name)?.Value, out var n) ? n : 0;
            var failed = Count("failures") + Count("errors");
            var skipped = Count("skipped") + Count("disabled");
            total += new TestCounts(Count("tests") - failed - skipped, failed, skipped);
        }
        return total;
    }

    /// <summary>Every line the tests wrote to their output (TRX keeps each test's StdOut).</summary>
    public static IEnumerable<string> OutputLines(XDocument trx) =>
        trx.Descendants().Where(e => e.Name.LocalName == "StdOut").SelectMany(e => e.Value.Split('\n')).Select(l => l.TrimEnd('\r'));

    /// <summary>
    /// Each failed test as "name: first line of its message" (TRX: UnitTestResult outcome Failed,
    /// Output/ErrorInfo/Message), so a run whose log is cut to its tail still names what failed.
    /// </summary>
    public static IEnumerable<string> FailuresFromTrx(XDocument trx) =>
        trx.Descendants().Where(e => e.Name.LocalName == "UnitTestResult" && e.Attribute("outcome")?.Value is "Failed" or "Error" or "Timeout" or "Aborted")
            .Select(e => Failure(e.Attribute("testName")?.Value, e.Descendants().FirstOrDefault(d => d.Name.LocalName == "Message")?.Value));

    /// <summary>The same for CTest's JUnit: a testcase with a failure or error child.</summary>
    public static IEnumerable<string> FailuresFromJUnit(XDocument junit) =>
        junit.Descendants("testcase").Where(t => t.Element("failure") is not null || t.Element("error") is not null)
            .Select(t => Failure(t.Attribute("name")?.Value, (t.Element("failure") ?? t.Element("error"))!.Attribute("message")?.Value));

    private static string Failure(string? name, string? message)
    {
        var first = message?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is null ? name ?? "(unnamed test)" : $"{name ?? "(unnamed test)"}: {first}";
    }
}
