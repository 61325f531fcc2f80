using System.Formats.Asn1;
using System.Security.Cryptography;
using NfOta.McuBoot.Errors;

namespace NfOta.McuBoot.Signing;

/// <summary>
/// The private half of an EC256 (ECDSA P-256) key, as imgtool's <c>ecdsa-p256</c> keys sign:
/// an ASN.1 DER ECDSA signature over the image's SHA-256 digest. Carries the public key as
/// MCUboot embeds it (SubjectPublicKeyInfo DER, and its SHA-256 for the KEYHASH TLV).
/// </summary>
public sealed class Ec256Signer : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _ecdsa;
    private readonly bool _owned;

    private Ec256Signer(ECDsa ecdsa, bool owned)
    {
        _ecdsa = ecdsa;
        _owned = owned;
        SubjectPublicKeyInfo = ecdsa.ExportSubjectPublicKeyInfo();
        KeyHash = SHA256.HashData(SubjectPublicKeyInfo);
    }

    /// <summary>The public key as MCUboot embeds it: the PUBKEY TLV of <c>--public-key-format full</c>.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of <see cref="SubjectPublicKeyInfo"/>: the KEYHASH TLV of <c>--public-key-format hash</c>.</summary>
    public byte[] KeyHash { get; }

    /// <summary>Signs with a P-256 private key the caller keeps and disposes.</summary>
    /// <exception cref="McuBootFormatException">Not P-256, or no private key.</exception>
    public static Ec256Signer FromECDsa(ECDsa key)
    {
        var curve = CurveOf(key);
        if (curve != P256Oid)
            throw new McuBootFormatException(McuBootError.McubootKeyUnsupported, $"The key is ECDSA on {CurveName(curve)}; MCUboot's EC256 signs with P-256 only.");
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException e)
        {
            throw new McuBootFormatException(McuBootError.McubootKeyNotPrivate, "The key has no private half: signing takes the private key.", e);
        }
        return new Ec256Signer(key, owned: false);
    }

    /// <summary>
    /// The key imgtool <c>keygen -t ecdsa-p256</c> writes (PKCS#8 <c>PRIVATE KEY</c>) or an
    /// <c>EC PRIVATE KEY</c>; other keys are refused by what they are.
    /// </summary>
    /// <exception cref="McuBootFormatException">
    /// <see cref="McuBootError.McubootKeyUnsupported"/> (RSA, Ed25519, another curve, password-protected),
    /// <see cref="McuBootError.McubootKeyNotPrivate"/> (a public key), <see cref="McuBootError.McubootInvalidKey"/> (not a key).
    /// </exception>
    public static Ec256Signer FromPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
            throw new McuBootFormatException(McuBootError.McubootInvalidKey, "Not a key in PEM (no -----BEGIN ...----- block).");
        var label = pem[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out _))
            throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"The PEM block '{label}' is not base64.");
        var what = label switch
        {
            "PRIVATE KEY" => AlgorithmOf(der, privateKey: true),
            "PUBLIC KEY" => AlgorithmOf(der, privateKey: false),
            "EC PRIVATE KEY" => "EC",
            "RSA PRIVATE KEY" or "RSA PUBLIC KEY" => "RSA",
            "ENCRYPTED PRIVATE KEY" => throw new McuBootFormatException(McuBootError.McubootKeyUnsupported,
                "The key is password-protected; give it without a password (imgtool getpriv writes one)."),
            _ => throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"A PEM '{label}' block is not a key imgtool signs with."),
        };
        if (what != "EC")
            throw new McuBootFormatException(McuBootError.McubootKeyUnsupported, $"The key is {what}; nfota signs MCUboot images with EC256 (ECDSA P-256) only.");
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            var curve = CurveOf(ecdsa);
            if (curve != P256Oid)
                throw new McuBootFormatException(McuBootError.McubootKeyUnsupported, $"The key is ECDSA on {CurveName(curve)}; MCUboot's EC256 signs with P-256 only.");
            if (label == "PUBLIC KEY")
                throw new McuBootFormatException(McuBootError.McubootKeyNotPrivate, "The key is a public key: signing takes the private key (imgtool keygen's file).");
            return new Ec256Signer(ecdsa, owned: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"Not an EC key in PEM: {e.Message}", e);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>The DER ECDSA signature (imgtool's ECDSASIG TLV, 70 to 72 bytes) over a SHA-256 digest.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest) => _ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose()
    {
        if (_owned) _ecdsa.Dispose();
    }

    private static string? CurveOf(ECDsa key)
    {
        try
        {
            return key.ExportParameters(false).Curve.Oid?.Value;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string CurveName(string? oid) => oid switch
    {
        "1.3.132.0.34" => "P-384 (imgtool's ecdsa-p384)",
        "1.3.132.0.35" => "P-521",
        "1.3.132.0.10" => "secp256k1",
        null => "an unnamed curve",
        _ => $"curve {oid}",
    };

    /// <summary>The algorithm of a PKCS#8 PrivateKeyInfo or a SubjectPublicKeyInfo: "EC", "RSA", "Ed25519", ...</summary>
    private static string AlgorithmOf(byte[] der, bool privateKey)
    {
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (privateKey) info.ReadInteger();
            var oid = info.ReadSequence().ReadObjectIdentifier();
            return oid switch
            {
                "1.2.840.10045.2.1" => "EC",
                "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10" => "RSA",
                "1.3.101.112" => "Ed25519",
                "1.3.101.113" => "Ed448",
                "1.3.101.110" => "X25519 (an encryption key, not a signing key)",
                _ => $"of algorithm {oid}",
            };
        }
        catch (AsnContentException e)
        {
            throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"The PEM key is not DER: {e.Message}", e);
        }
    }
}
