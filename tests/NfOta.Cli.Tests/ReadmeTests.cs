using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NfOta.Cli.Tests;

/// <summary>What a newcomer meets in a fresh clone: the README's links lead somewhere, its outputs are ignored.</summary>
public sealed partial class ReadmeTests
{
    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nf.proj"))) return dir.FullName;
            }
            throw new InvalidOperationException("nf.proj not found above " + AppContext.BaseDirectory);
        }
    }

    [GeneratedRegex(@"\]\(([^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex MarkdownLink();

    [Fact]
    public void EveryRelativeLinkAndPathInTheReadmeIsInTheClone()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        Assert.DoesNotContain("../shared", readme); // outside the repository: not in a clone
        var links = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://")).ToList();
        Assert.Contains("docs/ARCHITECTURE.md", links);
        Assert.All(links, link => Assert.True(Path.Exists(Path.Combine(RepoRoot, link)), $"README links to {link}, which is not in the repository"));
    }

    [Theory]
    [InlineData("out/NfOta.Cli.1.0.0.nupkg")]
    [InlineData("nfota-demo/flash.bin")]
    public void WhatTheReadmesCommandsLeaveIsIgnored(string path)
    {
        var start = new ProcessStartInfo("git", ["check-ignore", "--no-index", "-q", path]) { WorkingDirectory = RepoRoot };
        using var git = Process.Start(start)!;
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"{path} is not ignored by .gitignore");
    }
}
