using Microsoft.Win32.SafeHandles;

namespace NfOta.Server;

/// <summary>
/// The served folder, held open. A request path is opened below it without following any link
/// (<see cref="NoFollowOpen"/>), and names that start with '.' (.git, .secrets, .nfota-demo) are
/// never served. Where openat is not available (Windows) the path is resolved and confined
/// (<see cref="RootConfinement"/>) and then opened, which a link swapped in between can still defeat.
/// </summary>
internal sealed class ServedRoot : IDisposable
{
    private readonly SafeFileHandle? _directory;
    private readonly RootConfinement _confinement;

    public ServedRoot(string root)
    {
        _confinement = new RootConfinement(root);
        _directory = NoFollowOpen.IsSupported ? NoFollowOpen.OpenRoot(root) : null;
    }

    /// <summary>The regular file at <paramref name="requestPath"/> ('/'-separated, decoded); null for anything else.</summary>
    public ServedFile? Open(string requestPath)
    {
        var components = requestPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (components.Length == 0 || requestPath.EndsWith('/') || components.Any(c => c.StartsWith('.')))
        {
            return null;
        }
        if (_directory is null)
        {
            if (_confinement.Resolve(requestPath) is not { } real) return null;
            return OpenResolved(real);
        }
        return NoFollowOpen.OpenBelow(_directory, components) is { } handle ? ServedFile.From(handle) : null;
    }

    private ServedFile? OpenResolved(string real)
    {
        try
        {
            var path = Path.Combine(_confinement.RealRoot, real.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));
            return ServedFile.From(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _directory?.Dispose();
}
