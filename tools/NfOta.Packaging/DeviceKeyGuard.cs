using System.Security.Cryptography;
using NfOta.Esp32.EncryptedImages;

namespace NfOta.Packaging;

/// <summary>
/// Refuses a device key that is one of the release's signing keys. The manifest key is P-256, as an
/// ECIES device key is, and a secure boot key may be RSA-3072 or P-256, as device keys are: each
/// would be taken as a device key, and would then sit in every board's nfota_key partition (its
/// private half) or encrypt releases to a key the signer holds.
/// </summary>
public static class DeviceKeyGuard
{
    /// <summary>The signing key files `keys new` writes, looked for beside the device key.</summary>
    public static readonly string[] SigningKeyFiles = [KeyFiles.ManifestPublic, KeyFiles.ManifestPrivate, KeyFiles.SecureBootPublic, KeyFiles.SecureBootPrivate];

    /// <summary>
    /// Throws <c>device-key-is-signing-key</c> when <paramref name="deviceKey"/>'s public key is that of
    /// a signing key in its own folder (<see cref="SigningKeyFiles"/>) or of one of <paramref name="signingKeyPaths"/>.
    /// Files that are missing, unreadable or no key are passed over: this guards against a mix-up, it is no proof.
    /// </summary>
    public static void RefuseSigningKey(DeviceKey deviceKey, string deviceKeyPath, params string?[] signingKeyPaths)
    {
        var mine = deviceKey.SubjectPublicKeyInfo();
        var folder = Path.GetDirectoryName(Path.GetFullPath(deviceKeyPath)) ?? ".";
        var candidates = SigningKeyFiles.Select(name => Path.Combine(folder, name))
            .Concat(signingKeyPaths.OfType<string>());
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate))
            {
                continue;
            }
            string pem;
            try
            {
                pem = InputFile.ReadAllText(candidate, "signing key", InputLimit.Key);
            }
            catch (PackagingException)
            {
                continue;
            }
            if (PublicKeyInfo(pem) is { } theirs && theirs.AsSpan().SequenceEqual(mine))
            {
                throw new PackagingException("device-key-is-signing-key",
                    $"the device key '{deviceKeyPath}' is the signing key '{candidate}': a device key must be its own key (make one with keys new --device-key)");
            }
        }
    }

    /// <summary>The SubjectPublicKeyInfo of an RSA or EC PEM key, public or private; null for anything else.</summary>
    private static byte[]? PublicKeyInfo(string pem)
    {
        using (var rsa = RSA.Create())
        {
            try
            {
                rsa.ImportFromPem(pem);
                return rsa.ExportSubjectPublicKeyInfo();
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
            }
        }
        using var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return null;
        }
    }
}
