namespace NfOta.Emulator.Flash;

/// <summary>
/// The cells of a flash chip in 4 KiB pages, shared copy-on-write between copies. A copy costs
/// one reference per page, not the chip's megabytes, so a power-cut run can keep the flash as it
/// was before every mutation and start each cut from there. An erased page that was never written
/// holds no memory (null reads as 0xFF).
/// </summary>
internal sealed class FlashPages
{
    public const int PageSize = 4096;

    private readonly byte[]?[] _pages;
    private readonly bool[] _owned;

    public FlashPages(int size)
    {
        if (size <= 0 || size % PageSize != 0) throw new ArgumentOutOfRangeException(nameof(size), "flash size must be whole 4 KiB pages");
        _pages = new byte[]?[size / PageSize];
        _owned = new bool[_pages.Length];
    }

    private FlashPages(byte[]?[] pages)
    {
        _pages = pages;
        _owned = new bool[pages.Length];
    }

    public int Size => _pages.Length * PageSize;

    /// <summary>A copy sharing every page; whichever side writes a page first gets its own.</summary>
    public FlashPages Copy()
    {
        Array.Clear(_owned);
        return new FlashPages((byte[]?[])_pages.Clone());
    }

    public void Read(uint address, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var at = (int)address + done;
            var inPage = at % PageSize;
            var chunk = Math.Min(PageSize - inPage, destination.Length - done);
            var page = _pages[at / PageSize];
            if (page is null) destination.Slice(done, chunk).Fill(0xFF);
            else page.AsSpan(inPage, chunk).CopyTo(destination.Slice(done));
            done += chunk;
        }
    }

    public void Write(uint address, ReadOnlySpan<byte> data)
    {
        var done = 0;
        while (done < data.Length)
        {
            var at = (int)address + done;
            var chunk = Math.Min(PageSize - at % PageSize, data.Length - done);
            data.Slice(done, chunk).CopyTo(Writable((uint)at, chunk));
            done += chunk;
        }
    }

    /// <summary>The cells of a range inside one page, ready to change (the page is copied first if shared).</summary>
    public Span<byte> Writable(uint address, int length)
    {
        var index = (int)(address / PageSize);
        var inPage = (int)(address % PageSize);
        if (inPage + length > PageSize) throw new ArgumentException($"0x{address:X}+{length} crosses a 4 KiB page", nameof(length));
        if (!_owned[index])
        {
            var page = new byte[PageSize];
            if (_pages[index] is { } shared) shared.CopyTo(page, 0);
            else page.AsSpan().Fill(0xFF);
            _pages[index] = page;
            _owned[index] = true;
        }
        return _pages[index].AsSpan(inPage, length);
    }

    /// <summary>Sets a whole page to 0xFF, as a completed erase does.</summary>
    public void Erase(uint address)
    {
        var index = (int)(address / PageSize);
        _pages[index] = null;
        _owned[index] = false;
    }
}
