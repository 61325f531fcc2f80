using System.Security.Cryptography;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

public sealed class KeyAndCodeTests
{
    [Fact]
    public void A_public_key_pem_is_the_same_key_as_imgtools_private_key_file()
    {
        using var fromPrivate = ImgtoolVectors.Key();
        using var fromPublic = Ec256Key.FromPem(PemEncoding.WriteString("PUBLIC KEY", fromPrivate.SubjectPublicKeyInfo));

        Assert.Equal(fromPrivate.KeyHash, fromPublic.KeyHash);
        ImageVerifier.Verify(ImgtoolVectors.Image("ec256-h200-65549"), fromPublic);
    }

    [Fact]
    public void Text_that_is_not_a_p256_key_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Equal(McuBootError.McubootInvalidKey, Assert.Throws<McuBootFormatException>(() => Ec256Key.FromPem("not a key")).Error);
        Assert.Equal(McuBootError.McubootInvalidKey, Assert.Throws<McuBootFormatException>(() => Ec256Key.FromPem(p384.ExportSubjectPublicKeyInfoPem())).Error);
    }

    /// <summary>Codes are matched by scripts: a renamed enum member must fail here.</summary>
    [Fact]
    public void Codes_are_stable()
    {
        string[] expected =
        [
            "mcuboot-truncated", "mcuboot-bad-magic", "mcuboot-header-size", "mcuboot-protected-tlv-mismatch",
            "mcuboot-tlv-info-magic", "mcuboot-tlv-overrun", "mcuboot-hash-missing", "mcuboot-hash-length",
            "mcuboot-hash-mismatch", "mcuboot-key-mismatch", "mcuboot-signature-missing", "mcuboot-signature-invalid",
            "mcuboot-signature-unsupported", "mcuboot-dependency-length", "mcuboot-security-counter-length", "mcuboot-invalid-key",
            "mcuboot-key-unsupported", "mcuboot-key-not-private", "mcuboot-header-not-zero", "mcuboot-slot-overflow", "mcuboot-too-large",
        ];

        Assert.Equal(expected, Enum.GetValues<McuBootError>().Select(e => e.ToCode()));
    }
}
