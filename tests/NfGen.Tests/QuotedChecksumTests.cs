using System.Text.RegularExpressions;
using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Tests;

/// <summary>
/// Documentation quotes NfOta.Interop's native checksum (READMEs, the manifest format's example);
/// it changes whenever a native method does. Every quote must equal what nfgen computes from the
/// assembly this build compiled, so none can go stale again.
/// </summary>
public sealed partial class QuotedChecksumTests
{
    // "NfOta.Interop" (or NfOta_Interop) followed on the same line, within 40 characters, by 8 hex digits:
    // "NfOta.Interop,1.0.0.0,0x16C49C11", "NfOta.Interop:16C49C11", "NfOta.Interop 1.0.0.0 (native checksum 0x16C49C11)".
    [GeneratedRegex(@"NfOta[._]Interop[^\n]{0,40}?\b(?:0x)?([0-9A-Fa-f]{8})\b")]
    private static partial Regex InteropChecksum();

    private static uint Computed() =>
        NativeLayout.Compute(AssemblyModel.Load(Paths.Fixture("NfOta.Interop.dll"))).Checksum;

    /// <summary>Every Markdown file, and the firmware's C# sources (doc comments), outside build output.</summary>
    private static IEnumerable<string> Documents()
    {
        var root = Paths.RepoRoot;
        var markdown = Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories);
        var firmware = Directory.EnumerateFiles(Path.Combine(root, "firmware"), "*.cs", SearchOption.AllDirectories);
        return markdown.Concat(firmware).Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar)
            .Any(part => part is "bin" or "obj" or "artifacts" or ".git" or "node_modules"));
    }

    public static List<string> Quotes(string text) =>
        InteropChecksum().Matches(text).Select(m => m.Groups[1].Value.ToUpperInvariant()).ToList();

    [Fact]
    public void EveryQuotedInteropChecksumIsTheComputedOne()
    {
        var expected = Computed().ToString("X8");
        var quotes = Documents()
            .SelectMany(f => Quotes(File.ReadAllText(f)).Select(q => (File: Path.GetRelativePath(Paths.RepoRoot, f), Quote: q)))
            .ToList();

        Assert.True(quotes.Count >= 3, $"found only {quotes.Count} quotes: has the pattern stopped matching?");
        var stale = quotes.Where(q => q.Quote != expected).Select(q => $"{q.File}: {q.Quote}").ToList();
        Assert.True(stale.Count == 0, $"NfOta.Interop's checksum is 0x{expected}; stale quotes:\n" + string.Join("\n", stale));
    }

    [Theory]
    [InlineData("reads `NfOta.Interop,1.0.0.0,0x11CE6EF5` from our file", "11CE6EF5")]
    [InlineData("app-natives=mscorlib:1549C856,NfOta.Interop:59A9024B", "59A9024B")]
    [InlineData("from NfOta.Interop 1.0.0.0 (native checksum 0x16C49C11)", "16C49C11")]
    public void TheQuoteFormsInUseAreFound(string line, string quote)
    {
        Assert.Equal([quote], Quotes(line));
    }
}
