using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// A secure boot v2 key loaded from PEM: RSA-3072, or ECDSA on P-256 or P-384. Private keys
/// (PKCS#1, SEC1 or PKCS#8, as espsecure writes them) can sign; public keys can only verify.
/// </summary>
public sealed class SecureBootKey : IDisposable
{
    private SecureBootKey(SecureBootScheme scheme, RSA? rsa, ECDsa? ecdsa, bool isPrivate)
    {
        Scheme = scheme;
        Rsa = rsa;
        Ecdsa = ecdsa;
        IsPrivate = isPrivate;
    }

    public SecureBootScheme Scheme { get; }

    public bool IsPrivate { get; }

    internal RSA? Rsa { get; }

    internal ECDsa? Ecdsa { get; }

    public static SecureBootKey FromPem(string pem)
    {
        var isPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        if (!isPrivate && !pem.Contains("PUBLIC KEY", StringComparison.Ordinal))
        {
            throw new Esp32FormatException(FormatError.InvalidKey,
                "key file is not a PEM private or public key (expected a '-----BEGIN ... KEY-----' block)");
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize != 3072)
            {
                throw new Esp32FormatException(FormatError.SignatureUnsupportedKey,
                    $"RSA key has {rsa.KeySize} bits; secure boot v2 supports RSA-3072 only");
            }
            return new SecureBootKey(SecureBootScheme.Rsa3072, rsa, null, isPrivate);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            throw new Esp32FormatException(FormatError.InvalidKey,
                $"key file holds neither an RSA nor an ECDSA key that can be read ({e.Message.TrimEnd('.')})", e);
        }
        var scheme = EcCurves.IsNistP256(ecdsa) ? SecureBootScheme.EcdsaP256
            : EcCurves.IsNistP384(ecdsa) ? SecureBootScheme.EcdsaP384
            : SecureBootScheme.None;
        if (scheme == SecureBootScheme.None)
        {
            var curve = EcCurves.NameOf(ecdsa);
            ecdsa.Dispose();
            throw new Esp32FormatException(FormatError.SignatureUnsupportedKey,
                $"ECDSA key is on {curve}; secure boot v2 signs with P-256 or P-384 only");
        }
        return new SecureBootKey(scheme, null, ecdsa, isPrivate);
    }

    public void Dispose()
    {
        Rsa?.Dispose();
        Ecdsa?.Dispose();
    }
}
