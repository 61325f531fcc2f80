using NfOta.Manifest;

namespace NfOta.Packaging;

/// <summary>
/// What makes a well-formed, signed manifest useless before any file is read: a min-version no
/// board could satisfy, or a URL the update server refuses (it answers 400 to any "..").
/// </summary>
public static class InstallableCheck
{
    public static IEnumerable<string> Problems(UpdateManifest manifest)
    {
        if (manifest.MinVersion is not null && manifest.MinVersion.CompareTo(manifest.Version) >= 0)
        {
            // A board installs only a newer version, and only when it runs min-version or later: none can.
            yield return $"min-version {manifest.MinVersion.Text} is not older than version {manifest.Version.Text}: no board could install it [min-version-not-older]";
        }
        foreach (var (key, url) in new[] { (ManifestFormat.Url, manifest.Url ?? manifest.IfuUrl), (ManifestFormat.AppUrl, manifest.AppUrl) })
        {
            if (url is not null && IsTraversal(url))
            {
                yield return $"{key}={url} has a '.' or '..' segment (escaped or not) or a backslash: the update server refuses it (400), so devices could not download it [url-traversal]";
            }
        }
    }

    /// <summary>
    /// The shapes nfota serve's PathGuard refuses in the path: "." or ".." segments, encoded or not,
    /// backslashes. (Some HTTP stacks fold "/../" before sending, others send it as written.)
    /// </summary>
    private static bool IsTraversal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return true;
        }
        // The path as written: Uri's AbsolutePath has already folded the dot segments away.
        var path = url[(url.IndexOf(uri.Authority, StringComparison.Ordinal) + uri.Authority.Length)..];
        var decoded = Uri.UnescapeDataString(Uri.UnescapeDataString(path));
        return decoded.Contains('\\') || decoded.Split('/').Any(segment => segment is "." or "..");
    }
}
