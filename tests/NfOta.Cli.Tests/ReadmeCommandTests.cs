using System.CommandLine;
using System.Text.RegularExpressions;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Tests;

/// <summary>
/// Every nfota command line in the README's shell blocks names a real command and only options that
/// command has (checked against the CLI itself), so the README cannot drift from the tool.
/// </summary>
public sealed partial class ReadmeCommandTests
{
    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    /// <summary>Each `nfota ...` line of a shell block (continuations joined; comments and brackets around optional parts removed).</summary>
    public static TheoryData<string> CommandLines() => new(Lines());

    private static List<string> Lines()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var lines = new List<string>();
        foreach (Match block in ShellBlock().Matches(readme))
        {
            var text = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Split(" #")[0].Trim();
                if (line.StartsWith("nfota ", StringComparison.Ordinal)) lines.Add(line);
            }
        }
        return lines;
    }

    [Fact]
    public void TheReadmeHasTheCommandsOfTheUsersPath()
    {
        var lines = Lines();
        Assert.True(lines.Count >= 20, $"only {lines.Count} nfota command lines found");
        Assert.Contains(lines, l => l.StartsWith("nfota pack ", StringComparison.Ordinal) && l.Contains("--app"));
        Assert.Contains(lines, l => l.StartsWith("nfota inspect ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void NamesARealCommandAndOnlyItsOptions(string line)
    {
        var root = NfOtaCli.Build(new CliContext(TextWriter.Null, TextWriter.Null));
        Command command = root;
        var words = line.Replace("[", " ", StringComparison.Ordinal).Replace("]", " ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var at = 0;
        while (at < words.Count && command.Subcommands.FirstOrDefault(c => c.Name == words[at]) is { } sub)
        {
            command = sub;
            at++;
        }
        Assert.True(command != root, $"no nfota command in: {line}");
        Assert.True(command.Subcommands.Count == 0 || command.Action is not null, $"'{command.Name}' needs a subcommand: {line}");
        var known = command.Options.Concat(root.Options).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        foreach (var word in words.Skip(at).Where(w => w.StartsWith("--", StringComparison.Ordinal)))
        {
            var option = word.Split('=')[0].TrimEnd(',');
            Assert.True(known.Contains(option), $"nfota {command.Name} has no option {option}: {line}");
        }
    }

    [Fact]
    public void TheTroubleshootingTableHasEveryDeviceCodeAndOnlyRealCodes()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("<!-- device-codes", StringComparison.Ordinal);
        Assert.True(start > 0, "no troubleshooting table");
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal);
        var codes = Regex.Matches(readme[start..end], @"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var device = Enum.GetValues<NfOta.OtaError>().Select(NfOta.OtaErrors.Code).ToList();
        Assert.Empty(device.Except(codes));
        // Each code in the table is one the code base really gives (quoted in a source file).
        var sources = Directory.GetFiles(Path.Combine(RepoPaths.Root, "tools"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "firmware"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        // Quoted as is, or (the image and table format errors) an enum member its kebab-case code comes from.
        static string Pascal(string code) => string.Concat(code.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        Assert.All(codes, code => Assert.True(sources.Any(text => text.Contains($"\"{code}\"", StringComparison.Ordinal) || text.Contains($"    {Pascal(code)},", StringComparison.Ordinal)),
            $"{code} is in the table but no source gives it"));
    }
}
