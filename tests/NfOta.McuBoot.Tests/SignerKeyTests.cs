using System.Security.Cryptography;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>Signing takes imgtool's EC256 private key; every other key is refused by what it is.</summary>
public sealed class SignerKeyTests
{
    /// <summary>A PKCS#8 Ed25519 private key (RFC 8410's layout; .NET has no Ed25519 to make one).</summary>
    public const string Ed25519Pem = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """;

    [Fact]
    public void Imgtools_key_signs_with_the_key_hash_imgtool_wrote()
    {
        using var signer = ImgtoolVectors.Signer();
        using var key = ImgtoolVectors.Key();

        Assert.Equal(key.KeyHash, signer.KeyHash);
        Assert.Equal(key.SubjectPublicKeyInfo, signer.SubjectPublicKeyInfo);
    }

    [Fact]
    public void An_ec_private_key_in_sec1_form_signs_too()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = Ec256Signer.FromPem(ecdsa.ExportECPrivateKeyPem());

        Assert.Equal(ecdsa.ExportSubjectPublicKeyInfo(), signer.SubjectPublicKeyInfo);
    }

    public static TheoryData<string, string> OtherKeys()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TheoryData<string, string>
        {
            { rsa.ExportPkcs8PrivateKeyPem(), "mcuboot-key-unsupported" },
            { rsa.ExportRSAPrivateKeyPem(), "mcuboot-key-unsupported" },
            { p384.ExportPkcs8PrivateKeyPem(), "mcuboot-key-unsupported" },
            { p384.ExportECPrivateKeyPem(), "mcuboot-key-unsupported" },
            { Ed25519Pem, "mcuboot-key-unsupported" },
            { p256.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)), "mcuboot-key-unsupported" },
            { p256.ExportSubjectPublicKeyInfoPem(), "mcuboot-key-not-private" },
            { "not a key", "mcuboot-invalid-key" },
            { "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "mcuboot-invalid-key" },
        };
    }

    [Theory]
    [MemberData(nameof(OtherKeys))]
    public void Other_keys_are_refused(string pem, string code) =>
        Assert.Equal(code, Assert.Throws<McuBootFormatException>(() => Ec256Signer.FromPem(pem)).Code);

    [Fact]
    public void An_ecdsa_object_must_be_a_p256_private_key()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(p256.ExportSubjectPublicKeyInfo(), out _);

        Assert.Equal("mcuboot-key-unsupported", Assert.Throws<McuBootFormatException>(() => Ec256Signer.FromECDsa(p384)).Code);
        Assert.Equal("mcuboot-key-not-private", Assert.Throws<McuBootFormatException>(() => Ec256Signer.FromECDsa(publicOnly)).Code);
        using var signer = Ec256Signer.FromECDsa(p256);
        Assert.Equal(p256.ExportSubjectPublicKeyInfo(), signer.SubjectPublicKeyInfo);
    }
}
