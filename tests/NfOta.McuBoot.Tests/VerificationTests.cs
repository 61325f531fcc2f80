using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>Verification agrees with <c>imgtool verify</c> on every image and key it was run with.</summary>
public sealed class VerificationTests
{
    [Theory]
    [MemberData(nameof(ImgtoolVectors.SignedTheory), MemberType = typeof(ImgtoolVectors))]
    public void Signed_images_verify_with_their_key(string name)
    {
        using var key = ImgtoolVectors.Key();

        var verified = ImageVerifier.Verify(ImgtoolVectors.Image(name), key);

        Assert.True(verified.SignatureChecked);
        Assert.Equal(ImgtoolVectors.Dump(name).Unprotected.Tlvs.Single(t => t.Type == 0x10).Data, verified.Digest);
    }

    [Theory]
    [MemberData(nameof(ImgtoolVectors.SignedTheory), MemberType = typeof(ImgtoolVectors))]
    public void Signed_images_are_refused_with_the_other_key(string name)
    {
        using var other = ImgtoolVectors.OtherKey();

        var error = Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(ImgtoolVectors.Image(name), other));

        Assert.Equal("mcuboot-key-mismatch", error.Code);
    }

    [Fact]
    public void Unsigned_image_passes_its_hash_and_is_refused_with_a_key()
    {
        using var key = ImgtoolVectors.Key();
        var bytes = ImgtoolVectors.Image("unsigned-1000");

        Assert.False(ImageVerifier.Verify(bytes, null).SignatureChecked);
        Assert.Equal("mcuboot-signature-missing", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(bytes, key)).Code);
    }

    /// <summary>Every line of verify.tsv: imgtool's verdict, and the code we give for each refusal.</summary>
    [Fact]
    public void Every_imgtool_verdict_is_ours()
    {
        var codes = new Dictionary<string, string>
        {
            ["No signature found for the given key"] = "",
            ["Invalid image magic; is this an MCUboot image?"] = "mcuboot-bad-magic",
            ["Image has an invalid hash"] = "mcuboot-hash-mismatch",
        };
        foreach (var (name, keyFile, outcome) in ImgtoolVectors.VerifyOutcomes())
        {
            using var key = keyFile == "key-ec256.pem" ? ImgtoolVectors.Key() : ImgtoolVectors.OtherKey();
            var bytes = File.ReadAllBytes(Path.Combine(ImgtoolVectors.Root, name + ".bin"));
            if (outcome.StartsWith("Image digest: ", StringComparison.Ordinal))
            {
                ImageVerifier.Verify(bytes, key);
                continue;
            }
            var code = Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(bytes, key)).Code;
            var expected = codes[outcome];
            if (expected.Length == 0) Assert.Contains(code, new[] { "mcuboot-key-mismatch", "mcuboot-signature-missing" });
            else Assert.Equal(expected, code);
        }
    }

    /// <summary>imgtool's <c>--public-key-format full</c>: a PUBKEY TLV (0x02) in place of the key hash.</summary>
    [Fact]
    public void A_full_public_key_names_the_key_as_the_key_hash_does()
    {
        using var key = ImgtoolVectors.Key();
        using var other = ImgtoolVectors.OtherKey();
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var tlvs = Images.McuBootImage.Parse(bytes).UnprotectedTlvs;
        byte[] WithKey(Ec256Key named) => TestImages.WithUnprotectedTlvs(bytes,
            [.. tlvs.Select(t => t.Type == 0x01 ? ((ushort)0x02, named.SubjectPublicKeyInfo) : (t.Type, t.Data.ToArray()))]);

        ImageVerifier.Verify(WithKey(key), key);
        Assert.Equal("mcuboot-key-mismatch", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(WithKey(other), key)).Code);
    }

    /// <summary>MCUboot forgets the key after each signature: a second signature needs its own key hash.</summary>
    [Fact]
    public void A_signature_counts_only_right_after_its_key()
    {
        using var key = ImgtoolVectors.Key();
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var tlvs = Images.McuBootImage.Parse(bytes).UnprotectedTlvs.Select(t => (t.Type, Data: t.Data.ToArray())).ToList();
        var signature = tlvs.Single(t => t.Type == 0x22).Data;
        var broken = (byte[])signature.Clone();
        broken[^1] ^= 1;
        var sha = tlvs.Single(t => t.Type == 0x10);
        var keyHash = tlvs.Single(t => t.Type == 0x01);

        var unkeyed = TestImages.WithUnprotectedTlvs(bytes, [sha, keyHash, (0x22, broken), (0x22, signature)]);
        var keyed = TestImages.WithUnprotectedTlvs(bytes, [sha, keyHash, (0x22, broken), keyHash, (0x22, signature)]);

        Assert.Equal("mcuboot-signature-invalid", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(unkeyed, key)).Code);
        ImageVerifier.Verify(keyed, key);
    }

    /// <summary>As MCUboot at boot, the last signature checked for the key decides (imgtool stops at the first good one).</summary>
    [Fact]
    public void The_last_signature_for_the_key_decides()
    {
        using var key = ImgtoolVectors.Key();
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var tlvs = Images.McuBootImage.Parse(bytes).UnprotectedTlvs.Select(t => (t.Type, Data: t.Data.ToArray())).ToList();
        var signature = tlvs.Single(t => t.Type == 0x22).Data;
        var broken = (byte[])signature.Clone();
        broken[^1] ^= 1;
        var sha = tlvs.Single(t => t.Type == 0x10);
        var keyHash = tlvs.Single(t => t.Type == 0x01);

        var goodThenBroken = TestImages.WithUnprotectedTlvs(bytes, [sha, keyHash, (0x22, signature), keyHash, (0x22, broken)]);

        Assert.Equal("mcuboot-signature-invalid", Assert.Throws<McuBootFormatException>(() => ImageVerifier.Verify(goodThenBroken, key)).Code);
    }

    [Fact]
    public void Bytes_after_the_image_are_not_part_of_it()
    {
        using var key = ImgtoolVectors.Key();
        var bytes = ImgtoolVectors.Image("ec256-h20-1000");
        var padded = bytes.Concat(Enumerable.Repeat((byte)0xFF, 4096)).ToArray();

        var verified = ImageVerifier.Verify(padded, key);

        Assert.Equal(bytes.Length, verified.Image.Length);
    }
}
