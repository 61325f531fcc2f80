namespace NfOta.Packaging;

/// <summary>Reads an input file, turning every way it can fail into one <see cref="PackagingException"/>.</summary>
public static class InputFile
{
    public static byte[] ReadAllBytes(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PackagingException("invalid-argument", $"the {what} path is empty");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PackagingException("file-not-found", $"{what} '{path}' does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PackagingException("file-not-readable", $"{what} '{path}' cannot be read: {e.Message}", e);
        }
    }

    public static string ReadAllText(string path, string what) => System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, what));
}
