namespace NfOta.Cli.Tests;

/// <summary>Control characters from arguments and files are printed escaped, never raw to the terminal.</summary>
public sealed class ControlCharacterTests
{
    private const string Hostile = "\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e";

    private static void AssertNoControlCharacters(string text)
    {
        foreach (var c in new[] { '\u001b', '\u0007', '\u009b', '\u202e' })
        {
            Assert.DoesNotContain(c, text);
        }
    }

    [Fact]
    public void ErrorMessagesEscapeWhatTheyQuote()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("secure-boot", "digest", "--key", dir["key" + Hostile + ".pem"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        AssertNoControlCharacters(result.Error);
        Assert.Contains(@"key\x1b]0;owned\x07\x1b[2J\x9b31m\u202e.pem", line);

        var usage = CliRunner.Run("keys", "new", "--out", dir.Path, "--secure-boot", "rsa" + Hostile);
        Assert.Equal(2, usage.ExitCode);
        Assert.Single(usage.ErrorLines);
        AssertNoControlCharacters(usage.Error);
    }

    [Fact]
    public void VerifyEscapesFileNamesInItsTable()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        Directory.CreateDirectory(dir["pkg"]);
        File.WriteAllText(dir["pkg/evil" + Hostile + ".manifest"], "chip=esp32\n");
        var result = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.Equal(1, result.ExitCode);
        AssertNoControlCharacters(result.Out + result.Error);
        Assert.Contains(@"\x1b", result.Out);
    }
}

/// <summary>A usage error is one readable line: the parser's own line breaks and tabs become spaces, not escapes.</summary>
public sealed class UsageErrorLineTests
{
    [Fact]
    public void AnUnknownChoiceIsListedOnOneLineWithoutEscapes()
    {
        var result = CliRunner.Run("demo", "--chip", "esp32s2", "--out", Path.Combine(Path.GetTempPath(), "nfota-usage-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.DoesNotContain("\\x0a", line);
        Assert.DoesNotContain("\\x09", line);
        Assert.Contains("'esp32c3'", line);
        Assert.EndsWith("[usage]", line);
    }
}
