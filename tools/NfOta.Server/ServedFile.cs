using Microsoft.Win32.SafeHandles;

namespace NfOta.Server;

/// <summary>
/// One open file being served. Length and modification time come from fstat on the same
/// descriptor the bytes are read from, so Content-Length, ETag and body always describe one file,
/// even when `nfota pack` replaces its path mid-request.
/// </summary>
internal sealed class ServedFile : IDisposable
{
    private ServedFile(FileStream stream, long length, DateTimeOffset lastModified)
    {
        Stream = stream;
        Length = length;
        LastModified = lastModified;
    }

    public FileStream Stream { get; }

    public long Length { get; }

    public DateTimeOffset LastModified { get; }

    /// <summary>The ETag ASP.NET Core's static files would give: modification time XOR length.</summary>
    public string ETag => $"\"{Convert.ToString(LastModified.ToFileTime() ^ Length, 16)}\"";

    /// <summary>Takes the handle; null (and the handle closed) when it is not a regular file (folder, FIFO, device).</summary>
    public static ServedFile? From(SafeFileHandle handle)
    {
        try
        {
            if ((File.GetAttributes(handle) & FileAttributes.Directory) != 0)
            {
                handle.Dispose();
                return null;
            }
            var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek)
            {
                stream.Dispose();
                return null;
            }
            return new ServedFile(stream, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            handle.Dispose();
            return null;
        }
    }

    public void Dispose() => Stream.Dispose();
}
