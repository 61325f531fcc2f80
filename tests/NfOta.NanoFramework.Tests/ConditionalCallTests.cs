namespace NfOta.NanoFramework.Tests;

/// <summary>
/// nanoFramework's Debug.WriteLine is [Conditional("DEBUG")]: in a Release build the compiler drops
/// the call and everything its arguments would have done. OtaSample once ran its rollback guard
/// inside one, so a Release board never confirmed or rolled back a new firmware.
/// </summary>
public sealed class ConditionalCallTests
{
    private static readonly string Mscorlib = Path.Combine(AppContext.BaseDirectory, "oracle", "mscorlib.dll");

    private static ConditionalCallCheck Check(string body) => ConditionalCallCheck.Run(Mscorlib, [("Snippet.cs", $$"""
        using System.Diagnostics;
        public class Guard { public int Run() { return 1; } }
        public static class Snippet
        {
            public static void Main(Guard guard, int count, object result)
            {
                {{body}}
            }
        }
        """)]);

    [Theory]
    [InlineData("Debug.WriteLine(\"guard: \" + guard.Run().ToString());")]
    [InlineData("Debug.WriteLine(\"count: \" + (count++).ToString());")]
    [InlineData("Debug.WriteLine(\"count: \" + (count = 2).ToString());")]
    [InlineData("Debug.Assert(guard.Run() == 1);")]
    public void WorkInsideAConditionalCallIsFound(string body)
    {
        var check = Check(body);
        Assert.Equal(1, check.ConditionalCalls);
        Assert.NotEmpty(check.Found);
    }

    [Theory]
    [InlineData("var outcome = guard.Run(); Debug.WriteLine(\"guard: \" + outcome.ToString());")]
    [InlineData("Debug.WriteLine(result == null ? \"none\" : \"got \" + result.ToString() + count.ToString(\"X\"));")]
    [InlineData("Debug.WriteLine(string.Format(\"{0}\", count) + string.Concat(\"a\", \"b\"));")]
    public void FormattingInsideAConditionalCallIsAllowed(string body)
    {
        var check = Check(body);
        Assert.Equal(1, check.ConditionalCalls);
        Assert.Empty(check.Found);
    }

    [Fact]
    public void NoDeviceSourceDoesWorkInsideAConditionalCall()
    {
        var firmware = Path.Combine(RepoPaths.Root, "firmware");
        var sources = Directory.EnumerateFiles(firmware, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(f => (Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f)))
            .ToList();
        var check = ConditionalCallCheck.Run(Mscorlib, sources);

        Assert.True(check.ConditionalCalls >= 7, $"only {check.ConditionalCalls} [Conditional] calls bound: is Debug still resolved from mscorlib?");
        Assert.True(check.Found.Count == 0, string.Join("\n", check.Found));
    }
}
