namespace NfOta.Server;

/// <summary>
/// Refuses request targets that try to leave the served directory. Kestrel already folds "/../"
/// in plain paths and the file provider refuses what escapes; this rejects the attempt itself
/// (dot segments, encoded ones, backslashes, NULs) so it is answered 400 and logged, not guessed at.
/// </summary>
public static class PathGuard
{
    public static bool IsTraversal(string rawTarget)
    {
        var path = rawTarget;
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }
        string decoded;
        try
        {
            // Twice: "%252e" is "%2e" once decoded, and some stacks decode again.
            decoded = Uri.UnescapeDataString(Uri.UnescapeDataString(path));
        }
        catch (UriFormatException)
        {
            return true;
        }
        if (decoded.Contains('\\') || decoded.Contains('\0'))
        {
            return true;
        }
        foreach (var segment in decoded.Split('/'))
        {
            if (segment is ".." or ".")
            {
                return true;
            }
        }
        return false;
    }
}
