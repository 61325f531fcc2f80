using System.Security.Cryptography;
using NfOta.McuBoot.Errors;

namespace NfOta.McuBoot.Signing;

/// <summary>
/// An ECDSA P-256 public key as MCUboot knows it (MCUBOOT_SIGN_EC256): the SubjectPublicKeyInfo
/// DER it embeds, and that DER's SHA-256, which imgtool writes as the KEYHASH TLV. Built from PEM
/// text (a public key, or imgtool's private key file, of which only the public half is kept).
/// </summary>
public sealed class Ec256Key : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _ecdsa;

    private Ec256Key(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        SubjectPublicKeyInfo = ecdsa.ExportSubjectPublicKeyInfo();
        KeyHash = SHA256.HashData(SubjectPublicKeyInfo);
    }

    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of <see cref="SubjectPublicKeyInfo"/>: the KEYHASH TLV of images this key signed.</summary>
    public byte[] KeyHash { get; }

    /// <exception cref="McuBootFormatException">Not PEM, or not a P-256 key.</exception>
    public static Ec256Key FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            var curve = ecdsa.ExportParameters(false).Curve;
            if (curve.Oid?.Value != P256Oid)
                throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"The key is on curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value}, not P-256.");
            var publicOnly = ECDsa.Create();
            publicOnly.ImportSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo(), out _);
            return new Ec256Key(publicOnly);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new McuBootFormatException(McuBootError.McubootInvalidKey, $"Not an EC P-256 key in PEM: {e.Message}", e);
        }
        finally
        {
            ecdsa.Dispose();
        }
    }

    /// <summary>
    /// Checks a DER ECDSA signature over an image digest. Zero bytes after the DER sequence are
    /// imgtool's <c>--pad-sig</c> padding and are dropped, as imgtool and MCUboot do.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _ecdsa.VerifyHash(digest, WithoutPadding(signature), DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _ecdsa.Dispose();

    private static ReadOnlySpan<byte> WithoutPadding(ReadOnlySpan<byte> signature)
    {
        if (signature.Length < 2 || signature[0] != 0x30 || signature[1] >= 0x80) return signature;
        var der = signature[1] + 2;
        if (der > signature.Length || signature[der..].ContainsAnyExcept((byte)0)) return signature;
        return signature[..der];
    }
}
