using System.Security.Cryptography;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>
/// The files of one release in a folder `nfota pack` wrote: PROJECT-VERSION.* (the signed manifest
/// and its images), with the sizes and hashes DDI hands to devices. The board still verifies
/// everything against the signed manifest; these only let a DDI client check its download.
/// </summary>
public static class ReleaseFiles
{
    public static List<object> Describe(string folder, string version)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliException("file-not-found", $"release folder '{folder}' does not exist");
        }
        var files = Directory.GetFiles(folder)
            .Where(f => Path.GetFileName(f).Contains($"-{version}.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!files.Any(f => f.EndsWith(".manifest", StringComparison.Ordinal)))
        {
            throw new CliException("release-not-found", $"'{folder}' has no *-{version}.manifest: pack the release first (nfota pack ... --out {folder})");
        }
        // The manifest first: a DDI client that takes the first artifact gets what it must verify first.
        return files.OrderBy(f => f.EndsWith(".manifest", StringComparison.Ordinal) ? 0 : 1).Select(Describe).ToList();
    }

    private static object Describe(string path)
    {
        using var stream = File.OpenRead(path);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            sha1.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            sha256.AppendData(buffer, 0, read);
        }
        return new
        {
            filename = Path.GetFileName(path),
            size = stream.Length,
            sha1 = Convert.ToHexStringLower(sha1.GetHashAndReset()),
            md5 = Convert.ToHexStringLower(md5.GetHashAndReset()),
            sha256 = Convert.ToHexStringLower(sha256.GetHashAndReset()),
        };
    }
}
