using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>Any change to an image imgtool made is refused, each with a stable code.</summary>
public sealed class TamperTests
{
    private static readonly HashSet<string> Codes = Enum.GetValues<McuBootError>().Select(e => e.ToCode()).ToHashSet();

    /// <summary>Every byte of the small images, every byte but a sample of the payload of the large ones.</summary>
    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Every_flipped_byte_is_refused(string name)
    {
        using var key = ImgtoolVectors.Key();
        var original = ImgtoolVectors.Image(name);
        var image = McuBootImage.Parse(original);
        var regions = new Regions(image);
        var signed = image.UnprotectedTlvs.Any(t => t.Type == 0x22);
        var checkedBytes = 0;
        for (var offset = 0; offset < original.Length; offset++)
        {
            if (original.Length > 4096 && Regions.IsPayload(image, offset) && offset % 61 != 0) continue;
            foreach (var bit in new byte[] { 0x01, 0x80 })
            {
                var tampered = (byte[])original.Clone();
                tampered[offset] ^= bit;
                var error = Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(tampered, signed ? key : null));
                Assert.Contains(error.Code, Codes);
                var expected = regions.CodeAt(offset);
                if (expected is not null) Assert.True(expected == error.Code, $"byte 0x{offset:x} ^ 0x{bit:x2}: {error.Code}, not {expected}");
            }
            checkedBytes++;
        }
        Assert.True(checkedBytes > 1000);
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Every_truncation_is_refused_as_truncated(string name)
    {
        var original = ImgtoolVectors.Image(name);
        var image = McuBootImage.Parse(original);
        for (var length = 0; length < original.Length; length++)
        {
            if (original.Length > 4096 && Regions.IsPayload(image, length) && length % 61 != 0) continue;
            var error = Assert.Throws<McuBootFormatException>(() => McuBootImage.Parse(original.AsMemory(0, length)));
            Assert.True(error.Code == "mcuboot-truncated", $"{length} bytes: {error.Code}");
        }
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x24)]
    [InlineData(0x25)]
    public void An_image_signed_only_with_another_scheme_is_refused_as_unsupported(byte type)
    {
        using var key = ImgtoolVectors.Key();
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var signature = McuBootImage.Parse(bytes).UnprotectedTlvs.Single(t => t.Type == 0x22);
        bytes[signature.Offset - 4] = type;

        var error = Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(bytes, key));

        Assert.Equal("mcuboot-signature-unsupported", error.Code);
    }

    [Fact]
    public void Zero_padding_after_the_signature_is_imgtools_and_accepted_other_bytes_are_not()
    {
        using var key = ImgtoolVectors.Key();

        ImageVerifier.Verify(WithSignaturePadding(0x00), key);
        var error = Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(WithSignaturePadding(0x01), key));

        Assert.Equal("mcuboot-signature-invalid", error.Code);
    }

    /// <summary>The dependency image's header declares 20 bytes of protected TLVs, and its area holds 20.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(24)]
    public void A_protected_area_of_another_size_than_the_header_declares_is_refused(byte declared)
    {
        var bytes = ImgtoolVectors.Image("ec256-dep-65549");
        Assert.Equal(20, bytes[10]);
        bytes[10] = declared;

        var error = Assert.Throws<McuBootFormatException>(() => McuBootImage.Parse(bytes));

        Assert.Equal("mcuboot-protected-tlv-mismatch", error.Code);
    }

    /// <summary>The signature is the last TLV: grow it by one byte of padding, and the area with it.</summary>
    private static byte[] WithSignaturePadding(byte pad)
    {
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var image = McuBootImage.Parse(bytes);
        var signature = image.UnprotectedTlvs[^1];
        Assert.Equal(0x22, signature.Type);
        bytes[signature.Offset - 2]++;
        bytes[image.UnprotectedArea.Offset + 2]++;
        return [.. bytes, pad];
    }
}
