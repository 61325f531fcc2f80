using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>What imgtool 2.3.0 wrote and printed, read back field by field and byte for byte.</summary>
public sealed class ImgtoolVectorTests
{
    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Header_fields_are_the_ones_dumpinfo_printed(string name)
    {
        var header = McuBootImage.Parse(ImgtoolVectors.Image(name)).Header;
        var dump = ImgtoolVectors.Dump(name).Header;

        Assert.Equal(ImageHeader.Magic.ToString(), dump["magic"]);
        Assert.Equal(dump["load_addr"], header.LoadAddress.ToString());
        Assert.Equal(dump["hdr_size"], header.HeaderSize.ToString());
        Assert.Equal(dump["protected_tlv_size"], header.ProtectedTlvSize.ToString());
        Assert.Equal(dump["img_size"], header.ImageSize.ToString());
        Assert.Equal(dump["flags"], header.Flags.ToString());
        Assert.Equal(dump["version"], header.Version.ToString());
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Tlv_areas_are_the_ones_dumpinfo_printed(string name)
    {
        var image = McuBootImage.Parse(ImgtoolVectors.Image(name));
        var dump = ImgtoolVectors.Dump(name);

        Assert.Equal(dump.Protected is null, image.ProtectedArea is null);
        if (dump.Protected is not null) AssertArea(dump.Protected, image.ProtectedArea!);
        AssertArea(dump.Unprotected, image.UnprotectedArea);
        Assert.Equal(ImgtoolVectors.Image(name).Length, image.Length);
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Payload_is_the_input_file_after_a_header_padded_with_the_erased_value(string name)
    {
        var bytes = ImgtoolVectors.Image(name);
        var header = McuBootImage.Parse(bytes).Header;
        var plain = File.ReadAllBytes(Path.Combine(ImgtoolVectors.Root, $"plain-{header.ImageSize}.bin"));

        Assert.Equal(plain, bytes.AsSpan(header.HeaderSize, (int)header.ImageSize).ToArray());
        // --pad-header fills with imgtool's erased value, 0xff by default (image.py, erased_val)
        Assert.All(bytes[ImageHeader.StructSize..header.HeaderSize], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Hash_is_the_digest_imgtool_verify_printed()
    {
        var printed = ImgtoolVectors.VerifyOutcomes().Where(o => o.Outcome.StartsWith("Image digest: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, printed.Count);
        foreach (var (name, _, outcome) in printed)
        {
            var digest = ImageHash.Compute(McuBootImage.Parse(ImgtoolVectors.Image(name)));
            Assert.Equal(outcome["Image digest: ".Length..], Convert.ToHexStringLower(digest));
        }
    }

    [Fact]
    public void Key_hash_is_the_one_imgtool_wrote_for_the_signing_key()
    {
        using var key = ImgtoolVectors.Key();
        using var other = ImgtoolVectors.OtherKey();
        foreach (var name in ImgtoolVectors.Signed)
        {
            var keyHash = ImgtoolVectors.Dump(name).Unprotected.Tlvs.Single(t => t.Type == 0x01).Data;
            Assert.Equal(keyHash, key.KeyHash);
            Assert.NotEqual(keyHash, other.KeyHash);
        }
    }

    [Fact]
    public void Dependency_is_image_0_at_least_1_5_0_in_the_protected_area()
    {
        var image = McuBootImage.Parse(ImgtoolVectors.Image("ec256-dep-65549"));

        var dependency = Assert.Single(image.Dependencies);
        Assert.Equal(0, dependency.ImageId);
        Assert.Equal(new ImageVersion(1, 5, 0, 0), dependency.MinimumVersion);
        Assert.Equal("(0, 1.5.0+0)", dependency.ToString());
        Assert.Equal("2.0.0+0", image.Header.Version.ToString());
        Assert.Null(image.SecurityCounter);
    }

    [Fact]
    public void Version_reads_revision_and_build()
    {
        var header = McuBootImage.Parse(ImgtoolVectors.Image("ec256-h200-65549")).Header;

        Assert.Equal(new ImageVersion(1, 2, 3, 4), header.Version);
    }

    private static void AssertArea(DumpInfo.Area expected, Tlvs.TlvArea actual)
    {
        Assert.Equal(expected.Magic, actual.Magic);
        Assert.Equal(expected.Total, actual.TotalLength);
        Assert.Equal(expected.Tlvs.Count, actual.Entries.Count);
        foreach (var (want, got) in expected.Tlvs.Zip(actual.Entries))
        {
            Assert.Equal(want.Type, got.Type);
            Assert.Equal(want.Length, got.Length);
            Assert.Equal(want.Data, got.Data.ToArray());
        }
    }
}
