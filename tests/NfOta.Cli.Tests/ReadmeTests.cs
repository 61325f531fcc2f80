using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NfOta.Cli.Tests;

/// <summary>What a newcomer meets in a fresh clone: the README's links lead somewhere, its outputs are ignored.</summary>
public sealed partial class ReadmeTests
{
    [GeneratedRegex(@"\]\(([^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex MarkdownLink();

    [Fact]
    public void EveryRelativeLinkAndPathInTheReadmeIsInTheClone()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.DoesNotContain("../shared", readme); // outside the repository: not in a clone
        var links = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://")).ToList();
        Assert.Contains("docs/ARCHITECTURE.md", links);
        Assert.All(links, link => Assert.True(Path.Exists(Path.Combine(RepoPaths.Root, link)), $"README links to {link}, which is not in the repository"));
    }

    [Theory]
    [InlineData("out/NfOta.Cli.1.0.0.nupkg")]
    [InlineData("nfota-demo/flash.bin")]
    public void WhatTheReadmesCommandsLeaveIsIgnored(string path)
    {
        var start = new ProcessStartInfo("git", ["check-ignore", "--no-index", "-q", path]) { WorkingDirectory = RepoPaths.Root };
        using var git = Process.Start(start)!;
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"{path} is not ignored by .gitignore");
    }
}
