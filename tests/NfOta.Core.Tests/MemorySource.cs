using NfOta.Transfer;

namespace NfOta.Core.Tests;

/// <summary>An image source in memory: the power-loss matrix tests flash, not the network.</summary>
internal sealed class MemorySource(byte[] manifest, byte[] image) : IImageSource
{
    public const string ManifestUrl = "http://matrix/latest.manifest";
    public const string ImageUrl = "http://matrix/app.bin";

    public IImageStream Open(string url, int offset) => new MemoryImageStream(url == ManifestUrl ? manifest : image, offset);
}

/// <summary>Bytes in memory read as a download from <paramref name="position"/> on; <paramref name="served"/> hears how many each read hands out.</summary>
internal sealed class MemoryImageStream(byte[] bytes, int position, Action<int>? served = null) : IImageStream
{
    public int TotalLength => bytes.Length;

    public int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, bytes.Length - position);
        Array.Copy(bytes, position, buffer, offset, n);
        position += n;
        served?.Invoke(n);
        return n;
    }

    public void Close()
    {
    }
}
