namespace NfOta.Packaging;

/// <summary>
/// Writes output files so that they either appear complete or not at all: the bytes go to temporary
/// files beside the targets, which are renamed over them only after every one was written.
/// </summary>
public static class AtomicFile
{
    /// <summary>One file to write: where, what, and the Unix mode it is created with (null: the default).</summary>
    public sealed record Entry(string Path, byte[] Contents, UnixFileMode? Mode = null);

    public static void Write(string path, ReadOnlySpan<byte> contents, UnixFileMode? mode = null) =>
        WriteAll([new Entry(path, contents.ToArray(), mode)]);

    public static void WriteText(string path, string text, UnixFileMode? mode = null) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text), mode);

    /// <summary>
    /// Writes every entry, or none: all temporary files are written and flushed before the first is
    /// renamed, so a full disk, a folder in the way or a bad name leaves the targets as they were.
    /// </summary>
    public static void WriteAll(IReadOnlyList<Entry> entries)
    {
        var targets = entries.Select(e => Target(e.Path)).ToList();
        var temps = new List<string>();
        var current = 0;
        try
        {
            for (var i = 0; i < entries.Count; i++)
            {
                current = i;
                // A short name of our own: ".{name}.tmp" would pass the 255-byte limit for a legal long name.
                var temp = Path.Combine(Path.GetDirectoryName(targets[i])!, $".nfota-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows() && entries[i].Mode is { } mode) options.UnixCreateMode = mode;
                temps.Add(temp);
                using var stream = new FileStream(temp, options);
                stream.Write(entries[i].Contents);
                stream.Flush(flushToDisk: true);
            }
            for (var i = 0; i < entries.Count; i++)
            {
                current = i;
                File.Move(temps[i], targets[i], overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            temps.ForEach(TryDelete);
            throw new PackagingException("file-not-writable", $"cannot write '{entries[current].Path}': {e.Message}", e);
        }
        catch
        {
            temps.ForEach(TryDelete);
            throw;
        }
    }

    /// <summary>The full path to write, refused when it cannot be a file: empty, a folder, no folder to put it in.</summary>
    private static string Target(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PackagingException("invalid-argument", "the output file name is empty");
        }
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PackagingException("invalid-argument", $"'{path}' is not a usable file name: {e.Message}", e);
        }
        if (Directory.Exists(full))
        {
            throw new PackagingException("invalid-argument", $"'{path}' is a folder; name the file to write");
        }
        OutputFolder.RefuseLongNames(full, "the output file");
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new PackagingException("file-not-found", $"output folder '{directory}' does not exist");
        }
        return full;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp file has a dot name and the error that brought us here is reported.
        }
    }
}
