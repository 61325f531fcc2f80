using System.Security.Cryptography;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// The device key of esp_encrypted_img: RSA-3072 (the AES key is wrapped to it) or ECIES P-256 (the
/// AES key comes from an ECDH agreement with it). The public half encrypts a release, the private
/// half (on the device, or here for `nfota decrypt-image`) decrypts it.
/// </summary>
public sealed class DeviceKey : IDisposable
{
    private DeviceKey(RSA? rsa, ECDiffieHellman? ec, bool hasPrivate)
    {
        Rsa = rsa;
        Ec = ec;
        HasPrivateKey = hasPrivate;
    }

    internal RSA? Rsa { get; }

    internal ECDiffieHellman? Ec { get; }

    public bool HasPrivateKey { get; }

    public string Scheme => Rsa is not null ? "rsa3072" : "ecies-p256";

    /// <summary>PEM (PKCS#8, PKCS#1, SEC1 or SPKI) of an RSA-3072 or P-256 key; anything else is refused.</summary>
    public static DeviceKey FromPem(string pem)
    {
        if (TryImport(RSA.Create(), pem) is { } rsa)
        {
            if (rsa.KeySize != 3072)
            {
                var bits = rsa.KeySize;
                rsa.Dispose();
                throw Invalid($"an RSA-{bits} key; esp_encrypted_img's RSA scheme uses RSA-3072");
            }
            return new DeviceKey(rsa, null, HasPrivatePart(rsa));
        }
        var ec = TryImport(ECDiffieHellman.Create(), pem) ?? throw Invalid("neither an RSA nor an EC key in PEM form");
        if (ec.ExportParameters(false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ec.Dispose();
            throw Invalid("an EC key not on P-256; esp_encrypted_img's ECIES scheme uses P-256");
        }
        return new DeviceKey(null, ec, HasPrivatePart(ec));
    }

    /// <summary>
    /// The P-256 key a device derives from its 32-byte HMAC eFuse key (esp_encrypted_img's ECIES
    /// scheme): d = PBKDF2-HMAC-SHA256(hmac key, fixed salt, 2048 iterations, 32 bytes).
    /// </summary>
    public static DeviceKey FromHmacKey(ReadOnlySpan<byte> hmacKey)
    {
        if (hmacKey.Length != 32) throw Invalid($"an HMAC key of {hmacKey.Length} bytes; the device's is 32");
        var d = Rfc2898DeriveBytes.Pbkdf2(hmacKey, Pbkdf2Salt, 2048, HashAlgorithmName.SHA256, 32);
        return new DeviceKey(null, P256FromScalar(d), hasPrivate: true);
    }

    /// <summary>The P-256 key pair of a private scalar (.NET computes the public point from it).</summary>
    internal static ECDiffieHellman P256FromScalar(byte[] d) =>
        ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });

    /// <summary>esp_encrypted_img's PBKDF2 salt for deriving the device key from the HMAC key.</summary>
    private static readonly byte[] Pbkdf2Salt = Convert.FromHexString("0e2160642dae76d33448e43d7720123d9f3b1eceb88e573a4e8f7fb94ff0c869");

    /// <summary>
    /// Whether the key as imported has its private half: asked of the key, not of the PEM's text,
    /// where a comment or another block may say "PRIVATE KEY" over a public key.
    /// </summary>
    private static bool HasPrivatePart(AsymmetricAlgorithm key)
    {
        try
        {
            return key switch
            {
                RSA rsa => rsa.ExportParameters(true).D is not null,
                ECDiffieHellman ec => ec.ExportParameters(true).D is not null,
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false; // a public key cannot export private parameters
        }
    }

    private static T? TryImport<T>(T key, string pem) where T : AsymmetricAlgorithm
    {
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    private static Esp32FormatException Invalid(string what) =>
        new(FormatError.EncryptedImageKey, $"the device key is {what}");

    /// <summary>The private key as PKCS#8 PEM (what `nfota decrypt-image` takes).</summary>
    public string PrivateKeyPem()
    {
        if (!HasPrivateKey) throw Invalid("a public key only; there is no private key to export");
        return Rsa is not null ? Rsa.ExportPkcs8PrivateKeyPem() : Ec!.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The public key as SubjectPublicKeyInfo PEM (what `nfota encrypt-image` and esp_enc_img_gen.py take).</summary>
    public string PublicKeyPem() => Rsa is not null ? Rsa.ExportSubjectPublicKeyInfoPem() : Ec!.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public key as SubjectPublicKeyInfo DER: what another key is compared by.</summary>
    public byte[] SubjectPublicKeyInfo() => Rsa is not null ? Rsa.ExportSubjectPublicKeyInfo() : Ec!.ExportSubjectPublicKeyInfo();

    /// <summary>A new RSA-3072 device key.</summary>
    public static DeviceKey NewRsa3072() => new(RSA.Create(3072), null, hasPrivate: true);

    public void Dispose()
    {
        Rsa?.Dispose();
        Ec?.Dispose();
    }
}
