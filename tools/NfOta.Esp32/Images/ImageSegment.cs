namespace NfOta.Esp32.Images;

/// <summary>
/// One segment of an image: <c>esp_image_segment_header_t</c> (load address, length) and where its
/// data sits in the image file.
/// </summary>
public sealed record ImageSegment(uint LoadAddress, uint Length, int DataOffset)
{
    public const int HeaderSize = 8;

    public int HeaderOffset => DataOffset - HeaderSize;

    public override string ToString() => $"load 0x{LoadAddress:X8}, {Length} bytes at file offset 0x{DataOffset:X}";
}
