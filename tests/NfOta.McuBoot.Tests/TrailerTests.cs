using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Writing;

namespace NfOta.McuBoot.Tests;

/// <summary>
/// --slot-size, --pad, --confirm: imgtool's slot check and trailer (image.py _trailer_size, pad_to).
/// The numbers are MCUboot's: with align 4 the swap status is 128 sectors x 3 x 4 bytes, then four
/// 8-byte flag units, then the 16-byte magic.
/// </summary>
public sealed class TrailerTests
{
    private static SignOptions Options => ImgtoolSignings.Of("ec256-h200-65549").Options;

    [Fact]
    public void Trailer_sizes_are_imgtools()
    {
        Assert.Equal(128 * 3 * 4 + 8 * 4 + 16, SlotTrailer.Size(Options));
        Assert.Equal(128 * 3 * 32 + 32 * 4 + 32, SlotTrailer.Size(Options with { Align = 32 }));
        Assert.Equal(8 * 2 + 16, SlotTrailer.Size(Options with { OverwriteOnly = true }));
        Assert.Equal(16 * 3 * 4 + 8 * 4 + 16, SlotTrailer.Size(Options with { MaxSectors = 16 }));
    }

    [Fact]
    public void Confirm_pads_to_the_slot_with_image_ok_set_and_the_magic_last()
    {
        using var signer = ImgtoolVectors.Signer();
        using var key = ImgtoolVectors.Key();
        var options = Options with { SlotSize = 0x20000, Confirm = true };

        var file = ImageWriter.Write(ImgtoolSignings.Input("ec256-h200-65549"), options, signer);

        Assert.Equal(0x20000, file.Length);
        Assert.Equal(SlotTrailer.Magic.ToArray(), file[^16..]);
        var image = ImageVerifier.Verify(file, key).Image;
        Assert.Equal(0x01, file[^(16 + 8)]);
        Assert.All(file[image.Length..^(16 + 8)], b => Assert.Equal(0xFF, b));
        Assert.All(file[^(16 + 7)..^16], b => Assert.Equal(0xFF, b));
        var trailer = ImageDump.Read(file).Trailer;
        Assert.Equal((byte?)1, trailer.ImageOk);
        Assert.Equal((byte?)0xFF, trailer.CopyDone);
        Assert.Equal((byte?)0xFF, trailer.SwapInfo);
        Assert.Equal(uint.MaxValue, trailer.SwapSize);
    }

    [Fact]
    public void Pad_leaves_image_ok_erased_and_max_align_32_writes_its_own_magic()
    {
        var options = Options with { SlotSize = 0x20000, Pad = true, Align = 32 };

        var file = ImageWriter.Write(ImgtoolSignings.Input("ec256-h200-65549"), options, null);

        Assert.Equal(0x20000, file.Length);
        Assert.Equal([0x20, 0x00, .. SlotTrailer.AlignedMagicTail], file[^16..]);
        Assert.Equal(0xFF, file[^(32 + 32)]);
        var trailer = ImageDump.Read(file).Trailer;
        Assert.Equal((byte?)0xFF, trailer.ImageOk);
    }

    [Fact]
    public void An_image_and_trailer_larger_than_the_slot_are_refused()
    {
        var input = ImgtoolSignings.Input("ec256-h200-65549");
        var fits = 0x200 + input.Length + 40 + SlotTrailer.Size(Options);

        Assert.Equal(fits, ImageWriter.Write(input, Options with { SlotSize = (uint)fits, Pad = true }, null).Length);
        var error = Assert.Throws<McuBootFormatException>(() => ImageWriter.Write(input, Options with { SlotSize = (uint)fits - 1 }, null));
        Assert.Equal("mcuboot-slot-overflow", error.Code);
    }

    [Fact]
    public void Padding_needs_a_slot_size()
    {
        Assert.Throws<ArgumentException>(() => ImageWriter.Write(ImgtoolSignings.Input("unsigned-1000"), Options with { SlotSize = 0, Pad = true }, null));
    }
}
