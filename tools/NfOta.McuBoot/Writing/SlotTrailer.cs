namespace NfOta.McuBoot.Writing;

/// <summary>
/// The trailer MCUboot keeps at the end of a slot (imgtool's <c>_trailer_size</c> and
/// <c>pad_to</c>, MCUboot v2.3.0): swap status, then image_ok, copy_done, swap_info and swap_size
/// each in a max-align unit, then the 16-byte boot magic, aligned up to max-align.
/// </summary>
public static class SlotTrailer
{
    /// <summary>BOOT_MAGIC when max-align is 8.</summary>
    public static ReadOnlySpan<byte> Magic => [0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80];

    /// <summary>The last 14 bytes of the magic when max-align is not 8 (its first two bytes are max-align, little-endian).</summary>
    public static ReadOnlySpan<byte> AlignedMagicTail => [0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a];

    public const int MagicSize = 16;

    public static int MaxAlignOf(SignOptions options) => options.MaxAlign ?? Math.Max(8, options.Align);

    /// <summary>The trailer's size for these options (no encryption keys: nfota does not encrypt).</summary>
    public static int Size(SignOptions options)
    {
        var maxAlign = MaxAlignOf(options);
        var magic = AlignUp(MagicSize, maxAlign);
        if (options.OverwriteOnly) return maxAlign * 2 + magic;
        return options.MaxSectors * 3 * options.Align + maxAlign * 4 + magic;
    }

    /// <summary>The boot magic for a max-align.</summary>
    public static byte[] MagicFor(int maxAlign) =>
        maxAlign == 8 ? Magic.ToArray() : [(byte)maxAlign, (byte)(maxAlign >> 8), .. AlignedMagicTail];

    /// <summary>The bytes after an image of <paramref name="imageLength"/> bytes up to the slot's end.</summary>
    public static byte[] Padding(int imageLength, SignOptions options)
    {
        var maxAlign = MaxAlignOf(options);
        var bytes = new byte[(int)options.SlotSize - imageLength];
        bytes.AsSpan().Fill(options.ErasedValue);
        MagicFor(maxAlign).CopyTo(bytes.AsSpan(bytes.Length - MagicSize));
        if (options.Confirm && !options.OverwriteOnly)
            bytes[bytes.Length - (AlignUp(MagicSize, maxAlign) + maxAlign)] = 0x01;
        return bytes;
    }

    internal static int AlignUp(int value, int align) => (value + align - 1) & ~(align - 1);
}
