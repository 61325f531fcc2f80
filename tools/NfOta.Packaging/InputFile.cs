namespace NfOta.Packaging;

/// <summary>
/// Reads an input file, turning every way it can fail into one <see cref="PackagingException"/>.
/// Every read has a cap for its kind (<see cref="InputLimit"/>): an endless input (<c>/dev/zero</c>,
/// a FIFO, a runaway file) is refused with <c>input-too-large</c> instead of filling memory.
/// </summary>
public static class InputFile
{
    public static byte[] ReadAllBytes(string path, string what, long maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PackagingException("invalid-argument", $"the {what} path is empty");
        }
        try
        {
            return ReadBounded(path, what, maxBytes);
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

    public static string ReadAllText(string path, string what, long maxBytes) => System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, what, maxBytes));

    /// <summary>
    /// The file's bytes, at most <paramref name="maxBytes"/>; reads on from what the file system
    /// says its length is (devices and FIFOs say 0) and stops one chunk past the cap. Throws
    /// <c>input-too-large</c> (a <see cref="PackagingException"/>) past it, the I/O exceptions otherwise.
    /// </summary>
    public static byte[] ReadBounded(string path, string what, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var hint = stream.CanSeek ? stream.Length : 0;
        if (hint > maxBytes)
        {
            throw TooLarge(path, what, maxBytes);
        }
        using var buffer = new MemoryStream((int)Math.Max(hint, 0));
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(path, what, maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static PackagingException TooLarge(string path, string what, long maxBytes) =>
        new("input-too-large", $"{what} '{path}' is larger than {InputLimit.Describe(maxBytes)}, the most a {what} can be: give the right file (an endless input such as /dev/zero is refused)");
}

/// <summary>The most each kind of input may hold; a read past it is refused, so no input can exhaust memory.</summary>
public static class InputLimit
{
    /// <summary>PEM keys, flash encryption keys, HMAC keys: a few KiB at most, with room for comments and chains.</summary>
    public const int Key = 64 * 1024;

    /// <summary>A manifest: the device reads at most 4096 bytes; the slack lets verify say "too long" itself.</summary>
    public const int Manifest = NfOta.Manifest.ManifestFormat.MaxLength + 4096;

    /// <summary>A firmware image: the largest flash of the chips nf-ota supports.</summary>
    public const int Image = 16 * 1024 * 1024;

    /// <summary>A pre-encrypted firmware image: an image and its 512-byte header.</summary>
    public const int EncryptedImage = Image + 512;

    /// <summary>A .pe file or app deployment image: the largest deploy partition of nf-ota's tables (deploy_0 of the 16 MB ones).</summary>
    public const int App = 0x4D0000;

    /// <summary>A flash dump or slice (flash encrypt/decrypt, inspect): 64 MiB, more than any ESP32 module's flash.</summary>
    public const int FlashData = 64 * 1024 * 1024;

    /// <summary>Partition tables (CSV or binary) and TLS certificates.</summary>
    public const int Small = 1024 * 1024;

    public static string Describe(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}
