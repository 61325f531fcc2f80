using NfOta.Cli.Cli;
using NfOta.Packaging;

namespace NfOta.Cli.Demo;

/// <summary>
/// The folder the demo writes into. The demo replaces keys/ and deletes releases/ there, which is
/// the layout the README suggests for real releases, so it only runs where every file it would
/// replace or delete is one it wrote itself and recorded (<see cref="DemoMarker"/>) with the same
/// bytes: real keys made later with `keys new`, or a `pack`ed release, stop it before anything is touched.
/// </summary>
public static class DemoFolder
{
    public const string Marker = DemoMarker.FileName;

    /// <summary>
    /// What the demo writes, and so would replace: the fleet demo's SQLite database (and the side
    /// files SQLite keeps beside it) has the name serve --fleet uses by default.
    /// </summary>
    private static readonly string[] Owned = ["keys", "releases", "flash.bin", "fleet.db", "fleet.db-wal", "fleet.db-shm", "fleet.db-journal"];

    /// <summary>Refuses a folder holding anything under keys/, releases/, flash.bin or fleet.db the demo cannot prove it wrote; otherwise creates it.</summary>
    public static void Claim(string directory)
    {
        OutputFolder.Check(directory);
        if (Directory.Exists(directory))
        {
            var recorded = DemoMarker.Read(directory);
            var unproven = Entries(directory).Where(e => !IsRecorded(directory, e, recorded)).ToList();
            if (unproven.Count > 0)
            {
                throw new CliException("folder-in-use",
                    $"'{directory}' holds {Describe(unproven)} that nfota demo did not write (or that changed since); " +
                    "the demo would replace keys/, flash.bin and fleet.db and delete releases/: choose an empty or new --out");
            }
        }
        OutputFolder.Create(directory);
    }

    /// <summary>Records every file the demo's run left under keys/, releases/, flash.bin and fleet.db, with its hash.</summary>
    public static void Record(string directory)
    {
        DemoMarker.Write(directory, Entries(directory).Where(e => File.Exists(Path.Combine(directory, e)) && !IsLink(Path.Combine(directory, e))));
    }

    /// <summary>Everything under the owned names, relative with '/': files, folders and links.</summary>
    private static IEnumerable<string> Entries(string directory)
    {
        foreach (var name in Owned)
        {
            var path = Path.Combine(directory, name);
            if (!Path.Exists(path) && !IsLink(path)) continue;
            yield return name;
            if (Directory.Exists(path) && !IsLink(path))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
                foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", options))
                {
                    yield return Path.GetRelativePath(directory, entry).Replace(Path.DirectorySeparatorChar, '/');
                }
            }
        }
    }

    /// <summary>A folder the demo may remove (its files are checked one by one) or a file whose bytes match the record; never a link.</summary>
    private static bool IsRecorded(string directory, string entry, IReadOnlyDictionary<string, string> recorded)
    {
        var path = Path.Combine(directory, entry);
        if (IsLink(path)) return false;
        if (Directory.Exists(path)) return true;
        return recorded.TryGetValue(entry, out var hash) && DemoMarker.Hash(path) == hash;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static string Describe(IReadOnlyList<string> entries) =>
        entries.Count <= 3 ? string.Join(", ", entries) : $"{string.Join(", ", entries.Take(3))} and {entries.Count - 3} more";
}
