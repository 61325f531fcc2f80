using System.Xml.Linq;
using NfOta.TestSummary;

// Usage: NfOta.TestSummary RESULTS_DIR. Prints the power-cut totals and one closing line,
// "N passed, N failed", after the name and first message line of each failed test; exits 1 when a test failed or nothing ran, 2 on bad input.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("test-summary: error: give the folder the test runs wrote their results to");
    return 2;
}

var xunit = new TestCounts();
var ctest = new TestCounts();
var cuts = new PowerCutTotals();
var failures = new List<string>();
var files = 0;
foreach (var path in Directory.EnumerateFiles(args[0], "*.*", SearchOption.AllDirectories).Order())
{
    try
    {
        if (path.EndsWith(".trx", StringComparison.OrdinalIgnoreCase))
        {
            var trx = XDocument.Load(path);
            xunit += ResultFiles.FromTrx(trx);
            failures.AddRange(ResultFiles.FailuresFromTrx(trx));
            foreach (var line in ResultFiles.OutputLines(trx)) cuts.Add(line);
            files++;
        }
        else if (path.EndsWith(".junit.xml", StringComparison.OrdinalIgnoreCase))
        {
            var junit = XDocument.Load(path);
            ctest += ResultFiles.FromJUnit(junit);
            failures.AddRange(ResultFiles.FailuresFromJUnit(junit));
            files++;
        }
    }
    catch (Exception e) when (e is System.Xml.XmlException or FormatException or IOException)
    {
        Console.Error.WriteLine($"test-summary: error: {Path.GetFileName(path)} cannot be read ({e.Message})");
        return 2;
    }
}

var total = xunit + ctest;
Console.WriteLine();
// Named here, beside the totals: CI logs are often read from the tail only.
const int shown = 20;
foreach (var failure in failures.Take(shown)) Console.WriteLine($"FAILED {failure}");
if (failures.Count > shown) Console.WriteLine($"... and {failures.Count - shown} more failed (see the result files)");
if (cuts.Scenarios > 0)
{
    var seeds = string.Join(", ", cuts.Seeds);
    Console.WriteLine($"power cuts: {cuts.CutPoints:N0} cut points in {cuts.Scenarios} scenarios ({cuts.Random:N0} random; seed {seeds}, NFOTA_CUT_SEED={cuts.Seeds.FirstOrDefault()} replays them), {cuts.Failures} failures");
}
Console.WriteLine($"xunit: {xunit.Passed} passed, {xunit.Failed} failed, {xunit.Skipped} skipped; CTest: {ctest.Passed} passed, {ctest.Failed} failed, {ctest.Skipped} skipped ({files} result files)");
Console.WriteLine($"{total.Passed} passed, {total.Failed} failed" + (total.Skipped > 0 ? $", {total.Skipped} skipped" : ""));
return total.Failed > 0 || total.Passed == 0 ? 1 : 0;
