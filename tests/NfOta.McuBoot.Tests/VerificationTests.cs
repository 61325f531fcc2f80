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
