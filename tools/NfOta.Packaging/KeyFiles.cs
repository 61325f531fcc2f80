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

    /// <summary>The secure boot v2 public key digest, 32 bytes, as eFuse holds it (espsecure digest-sbv2-public-key's output).</summary>
    public const string SecureBootDigest = "secure-boot-key.digest.bin";

    public const string DevicePrivate = "device-key.pem";
    public const string DevicePublic = "device-key.pub.pem";
    public const string DeviceHmac = "device-key.hmac.bin";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The esp_encrypted_img device key schemes a new key can be made for.</summary>
    public static readonly string[] DeviceKeySchemes = ["rsa3072", "ecies-p256"];

    /// <summary>The secure boot v2 schemes a new key can be made for.</summary>
    public static readonly string[] SecureBootSchemes = ["rsa3072", "ecdsa256", "ecdsa384"];

    public static string NewSecureBootPem(string scheme) => scheme switch
    {
        "rsa3072" => RsaPem(),
        "ecdsa256" => EcPem(ECCurve.NamedCurves.nistP256),
        "ecdsa384" => EcPem(ECCurve.NamedCurves.nistP384),
        _ => throw new PackagingException("invalid-argument", $"--secure-boot '{scheme}' is not one of {string.Join(", ", SecureBootSchemes)}"),
    };

    /// <summary>A private key PEM (written owner-only) and its public PEM, by file name.</summary>
    public sealed record KeyPair(string PrivateName, string PrivatePem, string PublicName, string PublicPem);

    /// <summary>Write a private key PEM (0600) and its public PEM; refuses to replace keys unless <paramref name="force"/>.</summary>
    public static void WritePair(string directory, string privateName, string privatePem, string publicName, string publicPem, bool force) =>
        WritePairs(directory, [new KeyPair(privateName, privatePem, publicName, publicPem)], force);

    /// <summary>
    /// Write every pair or none: each private key is checked for before anything is written, so a
    /// refusal for the second key does not leave a new first key behind.
    /// </summary>
    public static void WritePairs(string directory, IReadOnlyList<KeyPair> pairs, bool force, IReadOnlyList<(string Name, byte[] Bytes)>? privateFiles = null,
        IReadOnlyList<(string Name, byte[] Bytes)>? publicFiles = null)
    {
        OutputFolder.Check(directory);
        privateFiles ??= [];
        publicFiles ??= [];
        // Public halves count too: a folder may hold only manifest-key.pub.pem, its private key kept offline.
        var names = pairs.SelectMany(p => new[] { p.PrivateName, p.PublicName }).Concat(privateFiles.Concat(publicFiles).Select(f => f.Name)).Select(n => Path.Combine(directory, n));
        if (!force && names.FirstOrDefault(Exists) is { } existing)
        {
            throw new PackagingException("key-exists", $"'{existing}' already exists; a new key would orphan every device that trusts the old one (use --force to replace it)");
        }
        OutputFolder.Create(directory);
        AtomicFile.WriteAll(pairs.SelectMany(p => new[]
        {
            new AtomicFile.Entry(Path.Combine(directory, p.PrivateName), System.Text.Encoding.ASCII.GetBytes(p.PrivatePem), OwnerOnly),
            new AtomicFile.Entry(Path.Combine(directory, p.PublicName), System.Text.Encoding.ASCII.GetBytes(p.PublicPem)),
        }).Concat(privateFiles.Select(f => new AtomicFile.Entry(Path.Combine(directory, f.Name), f.Bytes, OwnerOnly)))
          .Concat(publicFiles.Select(f => new AtomicFile.Entry(Path.Combine(directory, f.Name), f.Bytes))).ToList());
    }

    /// <summary>A file, or a link (even a dangling one) that writing would replace.</summary>
    private static bool Exists(string path) => File.Exists(path) || new FileInfo(path).LinkTarget is not null;

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
