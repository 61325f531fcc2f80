using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Packaging;

/// <summary>
/// Creates the release keys and writes them: private keys owner-only (0600) from the first byte,
/// never overwritten unless asked, never printed.
/// </summary>
public static class KeyFiles
{
    public const string ManifestPrivate = "manifest-key.pem";
    public const string ManifestPublic = "manifest-key.pub.pem";
    public const string SecureBootPrivate = "secure-boot-key.pem";
    public const string SecureBootPublic = "secure-boot-key.pub.pem";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The secure boot v2 schemes a new key can be made for.</summary>
    public static readonly string[] SecureBootSchemes = ["rsa3072", "ecdsa256", "ecdsa384"];

    public static string NewSecureBootPem(string scheme) => scheme switch
    {
        "rsa3072" => RsaPem(),
        "ecdsa256" => EcPem(ECCurve.NamedCurves.nistP256),
        "ecdsa384" => EcPem(ECCurve.NamedCurves.nistP384),
        _ => throw new PackagingException("invalid-argument", $"--secure-boot '{scheme}' is not one of {string.Join(", ", SecureBootSchemes)}"),
    };

    /// <summary>Write a private key PEM (0600) and its public PEM; refuses to replace keys unless <paramref name="force"/>.</summary>
    public static void WritePair(string directory, string privateName, string privatePem, string publicName, string publicPem, bool force)
    {
        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, privateName);
        if (!force && File.Exists(privatePath))
        {
            throw new PackagingException("key-exists", $"'{privatePath}' already exists; a new key would orphan every device that trusts the old one (use --force to replace it)");
        }
        AtomicFile.Write(privatePath, System.Text.Encoding.ASCII.GetBytes(privatePem), OwnerOnly);
        AtomicFile.Write(Path.Combine(directory, publicName), System.Text.Encoding.ASCII.GetBytes(publicPem));
    }

    public static string PublicPemOf(SecureBootKey key, string privatePem)
    {
        using var rsa = RSA.Create();
        if (key.Scheme == SecureBootScheme.Rsa3072)
        {
            rsa.ImportFromPem(privatePem);
            return rsa.ExportSubjectPublicKeyInfoPem();
        }
        using var ec = ECDsa.Create();
        ec.ImportFromPem(privatePem);
        return ec.ExportSubjectPublicKeyInfoPem();
    }

    private static string RsaPem()
    {
        using var rsa = RSA.Create(3072);
        return rsa.ExportRSAPrivateKeyPem();
    }

    private static string EcPem(ECCurve curve)
    {
        using var ec = ECDsa.Create(curve);
        return ec.ExportECPrivateKeyPem();
    }
}
