using System.Text.RegularExpressions;

namespace NfGen.Tests;

/// <summary>nfgen given a path it cannot read as a file (a folder): one line, exit 2, never a stack trace.</summary>
public sealed class UnreadableAssemblyTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("nfgen-test-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("checksum")]
    [InlineData("stubs")]
    public void AFolderIsOneClearLine(string command)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var args = command == "stubs" ? new[] { command, _temp, "--out", Path.Combine(_temp, "out") } : new[] { command, _temp };
        var exit = NfGenCli.Run(args, output, error);
        Assert.Equal(2, exit);
        Assert.Matches(new Regex(@"^nfgen: error: cannot read .* \(it is a folder\).* \[assembly-not-readable\]\s*$"), error.ToString());
    }
}
