using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>TLV lengths and places MCUboot insists on, on images imgtool's vectors do not cover.</summary>
public sealed class TlvRuleTests
{
    [Fact]
    public void A_built_image_verifies_so_the_refusals_below_are_the_rule_broken()
    {
        var verified = ImageVerifier.Verify(TestImages.Build([(0x50, [7, 0, 0, 0])]), null);

        Assert.Equal(7u, verified.Image.SecurityCounter);
        Assert.Equal(new ImageVersion(3, 0, 0, 0), verified.Image.Header.Version);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void A_hash_tlv_of_another_length_than_32_is_refused(int length)
    {
        var bytes = TestImages.Build([], hashLength: length);

        Assert.Equal("mcuboot-hash-length", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(bytes, null)).Code);
    }

    [Fact]
    public void A_security_counter_is_4_bytes()
    {
        var bytes = TestImages.Build([(0x50, [7, 0, 0])]);

        Assert.Equal("mcuboot-security-counter-length", Assert.Throws<McuBootFormatException>(() => McuBootImage.Parse(bytes)).Code);
    }

    [Fact]
    public void A_dependency_is_12_bytes()
    {
        var bytes = TestImages.Build([(0x40, new byte[11])]);

        Assert.Equal("mcuboot-dependency-length", Assert.Throws<McuBootFormatException>(() => McuBootImage.Parse(bytes)).Code);
    }

    [Fact]
    public void Dependencies_and_counters_outside_the_protected_area_do_not_count()
    {
        var image = McuBootImage.Parse(TestImages.Build([], [(0x40, new byte[12]), (0x50, [9, 0, 0, 0])]));

        Assert.Empty(image.Dependencies);
        Assert.Null(image.SecurityCounter);
    }

    [Fact]
    public void A_header_size_under_the_32_byte_header_is_refused()
    {
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        bytes[8] = 0x10;

        Assert.Equal("mcuboot-header-size", Assert.Throws<McuBootFormatException>(() => McuBootImage.Parse(bytes)).Code);
    }
}
