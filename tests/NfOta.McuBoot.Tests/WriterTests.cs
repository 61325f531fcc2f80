using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;
using NfOta.McuBoot.Writing;

namespace NfOta.McuBoot.Tests;

/// <summary>
/// What the writer makes of the inputs and options imgtool 2.3.0 signed the vectors with: imgtool's
/// image byte for byte, but for the ECDSA signature, which is randomized (and with it the
/// unprotected area's length): header, header padding, payload, protected TLVs, hash, key hash.
/// </summary>
public sealed class WriterTests
{
    [Theory]
    [MemberData(nameof(ImgtoolVectors.ValidTheory), MemberType = typeof(ImgtoolVectors))]
    public void Writes_imgtools_image_but_for_the_signature(string name)
    {
        var (_, signed, options) = ImgtoolSignings.Of(name);
        using var signer = signed ? ImgtoolVectors.Signer() : null;
        var imgtool = ImgtoolVectors.Image(name);

        var ours = ImageWriter.Write(ImgtoolSignings.Input(name), options, signer);

        Assert.Equal(WithSignatureOf(imgtool, ours), ours);
        if (signed) Assert.NotEqual(imgtool, ours); // the signature is ours, not a copy of imgtool's
    }

    [Fact]
    public void The_unsigned_image_is_imgtools_byte_for_byte()
    {
        var (_, _, options) = ImgtoolSignings.Of("unsigned-1000");

        Assert.Equal(ImgtoolVectors.Image("unsigned-1000"), ImageWriter.Write(ImgtoolSignings.Input("unsigned-1000"), options, null));
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.SignedTheory), MemberType = typeof(ImgtoolVectors))]
    public void Verifies_with_the_key_and_not_with_the_other(string name)
    {
        var (_, _, options) = ImgtoolSignings.Of(name);
        using var signer = ImgtoolVectors.Signer();
        using var key = ImgtoolVectors.Key();
        using var other = ImgtoolVectors.OtherKey();

        var ours = ImageWriter.Write(ImgtoolSignings.Input(name), options, signer);

        Assert.True(ImageVerifier.Verify(ours, key).SignatureChecked);
        Assert.Equal("mcuboot-key-mismatch", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(ours, other)).Code);
    }

    [Fact]
    public void Full_public_key_format_embeds_the_key_and_verifies()
    {
        using var signer = ImgtoolVectors.Signer();
        using var key = ImgtoolVectors.Key();
        var options = ImgtoolSignings.Of("ec256-h20-1000").Options with { PublicKeyFormat = PublicKeyFormat.Full };

        var ours = ImageWriter.Write(ImgtoolSignings.Input("ec256-h20-1000"), options, signer);

        var tlvs = McuBootImage.Parse(ours).UnprotectedTlvs;
        Assert.Equal([TlvTypes.Sha256, TlvTypes.PublicKey, TlvTypes.EcdsaSignature], tlvs.Select(t => t.Type));
        Assert.Equal(key.SubjectPublicKeyInfo, tlvs[1].Data.ToArray());
        Assert.Equal(91, tlvs[1].Length); // a P-256 SubjectPublicKeyInfo
        ImageVerifier.Verify(ours, key);
    }

    /// <summary>
    /// imgtool 2.3.0 (this session's cross-check, see tools/NfOta.McuBoot/README.md) wrote this
    /// protected area for <c>-v 1.2.3+4 -s auto -d "(0,1.5.0+0), (1, 2.0.0)"</c>: the counter
    /// first, 0x01020003 (major, minor, revision; no build), then the dependencies in order.
    /// </summary>
    [Fact]
    public void Security_counter_then_dependencies_in_the_protected_area()
    {
        var version = ImageVersion.Parse("1.2.3+4");
        var options = ImgtoolSignings.Of("ec256-h20-1000").Options with
        {
            Version = version,
            HeaderSize = 0x200,
            SecurityCounter = SecurityCounters.FromVersion(version),
            Dependencies = ImageDependency.ParseList("(0,1.5.0+0), (1, 2.0.0)"),
        };

        var image = McuBootImage.Parse(ImageWriter.Write(ImgtoolVectors.Image("plain-1000"), options, null));

        Assert.Equal(Convert.FromHexString(
            "08692c00" + "50000400" + "03000201" + "40000c00" + "00000000" + "0105000000000000" + "40000c00" + "01000000" + "0200000000000000"),
            image.Bytes[(int)image.Header.PayloadEnd..(int)image.Header.HashedLength].ToArray());
        Assert.Equal(44, image.Header.ProtectedTlvSize);
        Assert.Equal(0x01020003u, image.SecurityCounter);
        Assert.Equal(["(0, 1.5.0+0)", "(1, 2.0.0+0)"], image.Dependencies.Select(d => d.ToString()));
        ImageVerifier.Verify(image, null);
    }

    [Fact]
    public void Without_pad_header_the_input_must_start_with_header_size_zeros()
    {
        var options = ImgtoolSignings.Of("unsigned-1000").Options with { PadHeader = false };
        var plain = ImgtoolVectors.Image("plain-1000");
        byte[] zeroed = [.. new byte[0x200], .. plain];

        var image = McuBootImage.Parse(ImageWriter.Write(zeroed, options, null));

        Assert.Equal(1000u, image.Header.ImageSize);
        Assert.Equal(plain, image.Bytes[0x200..(0x200 + 1000)].ToArray());
        Assert.All(image.Bytes[ImageHeader.StructSize..0x200].ToArray(), b => Assert.Equal(0, b));
        Assert.Equal("mcuboot-header-not-zero", Assert.Throws<McuBootFormatException>(() => ImageWriter.Write(plain, options, null)).Code);
        Assert.Equal("mcuboot-header-not-zero", Assert.Throws<McuBootFormatException>(() => ImageWriter.Write(new byte[0x1ff], options, null)).Code);
    }

    private static byte[] WithSignatureOf(byte[] imgtool, byte[] ours)
    {
        var signature = McuBootImage.Parse(ours).UnprotectedTlvs.FirstOrDefault(t => t.Type == TlvTypes.EcdsaSignature);
        var tlvs = McuBootImage.Parse(imgtool).UnprotectedTlvs
            .Select(t => (t.Type, t.Type == TlvTypes.EcdsaSignature && signature is not null ? signature.Data.ToArray() : t.Data.ToArray()))
            .ToList();
        return TestImages.WithUnprotectedTlvs(imgtool, tlvs);
    }
}
