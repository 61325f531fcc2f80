using System.Security.Cryptography;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// Which named curve a key is on, by OID: the key size alone does not tell P-256 from secp256k1
/// or brainpoolP256r1, and a device would reject a signature made on either.
/// </summary>
public static class EcCurves
{
    private const string NistP256Oid = "1.2.840.10045.3.1.7";
    private const string NistP384Oid = "1.3.132.0.34";

    public static bool IsNistP256(ECDsa key) => HasOid(key, NistP256Oid);

    public static bool IsNistP384(ECDsa key) => HasOid(key, NistP384Oid);

    /// <summary>The curve's name for messages: its friendly name, its OID, or "explicit parameters".</summary>
    public static string NameOf(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        return curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "a curve with explicit parameters";
    }

    private static bool HasOid(ECDsa key, string oid)
    {
        var curve = key.ExportParameters(false).Curve;
        return curve.IsNamed && curve.Oid?.Value == oid;
    }
}
