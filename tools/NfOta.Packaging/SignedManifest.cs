using System.Text;
using NfOta.Manifest;

namespace NfOta.Packaging;

/// <summary>Writes manifests in the device's format (NfOta.Core's ManifestFormat) and signs them.</summary>
public static class SignedManifest
{
    /// <summary>The signed body followed by its "signature=" line.</summary>
    public static byte[] Create(ManifestKey key, string chip, string version, int secureVersion, int size, byte[] sha256, string url, string? minVersion)
    {
        var body = Encoding.ASCII.GetBytes(ManifestFormat.Body(chip, version, secureVersion, size, Convert.ToHexStringLower(sha256), url, minVersion));
        return SignBody(key, body);
    }

    /// <summary>Append the signature line to an already formed body (tests use it to sign odd bodies).</summary>
    public static byte[] SignBody(ManifestKey key, byte[] body)
    {
        var signature = key.Sign(body);
        return [.. body, .. Encoding.ASCII.GetBytes($"{ManifestFormat.SignatureKey}={Convert.ToHexStringLower(signature)}\n")];
    }
}
