namespace NfOta.Packaging;

/// <summary>
/// Writes an output file so that it either appears complete or not at all: the bytes go to a
/// temporary file beside the target, which is renamed over it only after everything succeeded.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> contents, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new PackagingException("file-not-found", $"output folder '{directory}' does not exist");
        }
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows() && mode is not null) options.UnixCreateMode = mode;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new PackagingException("file-not-writable", $"cannot write '{path}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteText(string path, string text, UnixFileMode? mode = null) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text), mode);

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
