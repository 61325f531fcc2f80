namespace NfOta.Packaging;

/// <summary>
/// A folder that files are written into: refused up front when it cannot be one (empty name, an
/// existing file), created only when there is something to write, with creation failures reported.
/// </summary>
public static class OutputFolder
{
    /// <summary>Refuses a path that cannot be a folder, without creating anything.</summary>
    public static void Check(string path, string option = "--out")
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PackagingException("invalid-argument", $"{option} is empty; give the folder to write into");
        }
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PackagingException("invalid-argument", $"{option} '{path}' is not a usable path: {e.Message}", e);
        }
        if (File.Exists(full))
        {
            throw new PackagingException("invalid-argument", $"{option} '{path}' is a file; it must name a folder");
        }
        RefuseLongNames(full, option);
    }

    /// <summary>Most file systems take names of at most 255 bytes; a longer one is a typing problem, not a disk one.</summary>
    internal static void RefuseLongNames(string fullPath, string what)
    {
        const int MaxNameBytes = 255;
        var longest = fullPath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).MaxBy(System.Text.Encoding.UTF8.GetByteCount) ?? "";
        var bytes = System.Text.Encoding.UTF8.GetByteCount(longest);
        if (bytes > MaxNameBytes)
        {
            throw new PackagingException("invalid-argument", $"{what} has a name of {bytes} bytes ('{longest[..20]}...'); file systems allow at most {MaxNameBytes}");
        }
    }

    /// <summary>Checks <paramref name="path"/> and creates it (with its parents) if missing.</summary>
    public static void Create(string path, string option = "--out")
    {
        Check(path, option);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackagingException("file-not-writable", $"cannot create folder '{path}': {e.Message}", e);
        }
    }
}
