using NfOta.Cli.Cli;
using NfOta.Packaging;

namespace NfOta.Cli.Demo;

/// <summary>
/// The folder the demo writes into. The demo replaces keys/ and deletes releases/ there, which is
/// the layout the README suggests for real releases, so it only takes a folder that does not hold
/// them yet or that it marked as its own on an earlier run.
/// </summary>
public static class DemoFolder
{
    public const string Marker = ".nfota-demo";

    /// <summary>What the demo writes, and so would replace.</summary>
    private static readonly string[] Owned = ["keys", "releases", "flash.bin"];

    /// <summary>Refuses a folder with keys, releases or a dump the demo did not make; otherwise creates and marks it.</summary>
    public static void Claim(string directory)
    {
        OutputFolder.Check(directory);
        if (Directory.Exists(directory) && !File.Exists(Path.Combine(directory, Marker)))
        {
            var found = Owned.Where(name => Path.Exists(Path.Combine(directory, name))).ToList();
            if (found.Count > 0)
            {
                throw new CliException("folder-in-use",
                    $"'{directory}' already holds {string.Join(", ", found)} that nfota demo did not make; the demo would replace those keys and delete releases/: choose an empty or new --out");
            }
        }
        OutputFolder.Create(directory);
        AtomicFile.WriteText(Path.Combine(directory, Marker), "Made by nfota demo, which may replace keys/, releases/ and flash.bin in this folder.\n");
    }
}
