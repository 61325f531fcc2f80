using System.Security.Cryptography;
using NfOta.Packaging;

namespace NfOta.Cli.Demo;

/// <summary>
/// The demo's record of what it wrote: one "SHA-256  path" line per file (as sha256sum prints
/// them), paths relative to the demo folder with '/'. A file is the demo's only while its bytes
/// still hash to what is recorded here.
/// </summary>
internal static class DemoMarker
{
    public const string FileName = ".nfota-demo";

    private const string Header = "# Made by nfota demo: the files below, with their SHA-256; it replaces only files that still match.";

    /// <summary>Recorded hashes by relative path; empty when there is no marker or it predates hashes.</summary>
    public static IReadOnlyDictionary<string, string> Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return recorded;
        }
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length == 2 && parts[0].Length == 64 && !line.StartsWith('#'))
            {
                recorded[parts[1]] = parts[0];
            }
        }
        return recorded;
    }

    public static void Write(string directory, IEnumerable<string> relativePaths)
    {
        var lines = relativePaths.Order(StringComparer.Ordinal).Select(p => $"{Hash(Path.Combine(directory, p))}  {p}");
        AtomicFile.WriteText(Path.Combine(directory, FileName), string.Join('\n', [Header, .. lines]) + "\n");
    }

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
