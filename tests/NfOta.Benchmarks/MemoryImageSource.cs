using NfOta.Transfer;

namespace NfOta.Benchmarks;

/// <summary>
/// An image served from memory, optionally dropping the connection once after a given byte, so the
/// benchmark measures the engine, not a network stack. Reads allocate nothing.
/// </summary>
internal sealed class MemoryImageSource(byte[] image, int dropAfter = -1) : IImageSource, IImageStream
{
    private int _position;
    private int _dropAt = dropAfter;

    public long BytesServed { get; private set; }

    public int TotalLength => image.Length;

    public IImageStream Open(string url, int offset)
    {
        _position = offset;
        return this;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        if (_dropAt >= 0 && _position >= _dropAt)
        {
            _dropAt = -1;
            throw new OtaException(OtaError.Network, "benchmark: connection dropped") { IsTransient = true };
        }
        var end = _dropAt >= 0 ? Math.Min(_dropAt, image.Length) : image.Length;
        var n = Math.Min(count, end - _position);
        if (n <= 0)
        {
            return 0;
        }
        Buffer.BlockCopy(image, _position, buffer, offset, n);
        _position += n;
        BytesServed += n;
        return n;
    }

    public void Close()
    {
    }
}
