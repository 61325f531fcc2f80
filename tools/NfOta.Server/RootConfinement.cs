namespace NfOta.Server;

/// <summary>
/// Keeps what is served inside the served directory even through symbolic links: a link named
/// <c>keys</c> to the key folder must not publish the private keys. A request path is resolved
/// link by link, as the kernel would open it, and must end inside the root's own resolved path.
/// </summary>
public sealed class RootConfinement
{
    private const int MaxLinks = 40; // as many as Linux follows before ELOOP

    private readonly string _root;
    private readonly string _realRoot;

    public RootConfinement(string root)
    {
        _root = Path.GetFullPath(root);
        _realRoot = RealPath(_root) ?? _root;
    }

    /// <summary>The root with its own links resolved: what the file provider serves from.</summary>
    public string RealRoot => _realRoot;

    /// <summary>
    /// Where <paramref name="requestPath"/> (decoded, '/'-separated) really is, as a '/'-path relative
    /// to <see cref="RealRoot"/>; null when it resolves to a place outside the root. Serving the
    /// resolved path also gives a link's target's length and bytes, not the link's own.
    /// </summary>
    public string? Resolve(string requestPath)
    {
        var relative = requestPath.TrimStart('/').Replace('/', Path.DirectorySeparatorChar);
        var real = RealPath(Path.Combine(_root, relative));
        if (real is null)
        {
            return null;
        }
        if (real == _realRoot)
        {
            return "/";
        }
        var inside = _realRoot.EndsWith(Path.DirectorySeparatorChar) ? _realRoot : _realRoot + Path.DirectorySeparatorChar;
        if (!real.StartsWith(inside, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            return null;
        }
        return "/" + real[inside.Length..].Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The path with every link resolved (parts that do not exist are kept as written); null for a link loop.</summary>
    private static string? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushParts(pending, full[current.Length..]);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                // current has no links left in it, so its parent is the real parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                return null;
            }
            // Go on with the target's parts, from the file system root or from the link's own folder.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }
            PushParts(pending, target);
        }
        return current;
    }

    private static void PushParts(Stack<string> pending, string path)
    {
        foreach (var part in path.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            pending.Push(part);
        }
    }
}
