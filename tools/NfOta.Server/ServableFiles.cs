namespace NfOta.Server;

/// <summary>
/// Whether `nfota serve` would answer a file of a folder with its bytes (200) rather than 404: the
/// same open the server makes (component by component, no symbolic links, a seekable non-folder,
/// no name starting with '.'), so `nfota verify` can flag a package the server will not deliver.
/// </summary>
public sealed class ServableFiles : IDisposable
{
    private readonly ServedRoot _root;

    public ServableFiles(string folder) => _root = new ServedRoot(folder);

    /// <summary>True when serve answers <paramref name="relativePath"/> ('/'-separated) with the file.</summary>
    public bool IsServable(string relativePath)
    {
        using var file = _root.Open(relativePath);
        return file is not null;
    }

    public void Dispose() => _root.Dispose();
}
