using System.Security.Cryptography;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Packaging;

/// <summary>
/// The ECDSA P-256 key that signs release manifests. The private half stays with the releaser;
/// the public half (65 bytes, 0x04‖X‖Y) is built into the app and checked by mbedTLS on the device.
/// </summary>
public sealed class ManifestKey : IDisposable
{
    private ManifestKey(ECDsa key, bool hasPrivate)
    {
        Key = key;
        HasPrivateKey = hasPrivate;
    }

    public ECDsa Key { get; }

    public bool HasPrivateKey { get; }

    public static ManifestKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), true);

    /// <summary>Read a PEM private or public key; refuses anything but P-256.</summary>
    public static ManifestKey FromPem(string pem, string source = "the key")
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new PackagingException("key-invalid", $"{source} is not an EC key in PEM form ({e.Message})", e);
        }
        if (!EcCurves.IsNistP256(key))
        {
            var curve = EcCurves.NameOf(key);
            key.Dispose();
            throw new PackagingException("key-invalid", $"{source} is on {curve}, not P-256 (prime256v1), the only curve the device checks");
        }
        bool hasPrivate;
        try
        {
            hasPrivate = key.ExportParameters(true).D is not null;
        }
        catch (CryptographicException)
        {
            hasPrivate = false;
        }
        return new ManifestKey(key, hasPrivate);
    }

    public static ManifestKey Load(string path)
    {
        return FromPem(InputFile.ReadAllText(path, "key file", InputLimit.Key), $"'{path}'");
    }

    /// <summary>The public key as the device takes it: 0x04‖X‖Y.</summary>
    public byte[] PublicKeyBytes()
    {
        var q = Key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public string PrivateKeyPem() => Key.ExportPkcs8PrivateKeyPem();

    public string PublicKeyPem() => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>ECDSA over SHA-256 of <paramref name="data"/>, r‖s (64 bytes) as the manifest carries it.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey)
        {
            throw new PackagingException("key-not-private", "signing needs the private key, but this PEM holds only the public key");
        }
        return Key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && Key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => Key.Dispose();
}
