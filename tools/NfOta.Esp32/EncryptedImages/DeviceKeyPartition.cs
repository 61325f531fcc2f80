using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// The "nfota_key" partition that holds a board's device key for pre-encrypted releases (the layout
/// native/nf_ota/src/nf_ota_device_key.h reads): "NFOTADK1", u32 scheme (1 RSA-3072 as PKCS#1
/// RSAPrivateKey DER, 2 ECIES P-256 as its 32-byte scalar), u32 key length, the key, SHA-256 of all
/// that; 0xFF to the end of the 4 KiB sector. Flashed in plaintext before the first boot, with the
/// partition flagged encrypted: the bootloader then encrypts it in place with the rest.
/// </summary>
public static class DeviceKeyPartition
{
    public const string Label = "nfota_key";

    /// <summary>ESP-IDF's first custom partition type, and 'K': nothing of ESP-IDF's or nanoFramework's uses either.</summary>
    public const int Type = 0x40;

    public const int Subtype = 0x4B;

    public const int Size = 0x1000;

    public const int SchemeRsa3072 = 1;

    public const int SchemeEciesP256 = 2;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("NFOTADK1");

    /// <summary>True when <paramref name="data"/> begins as a device key partition does ("NFOTADK1").</summary>
    public static bool StartsWithMagic(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <summary>The 4 KiB partition image of a device key (it needs the private half).</summary>
    public static byte[] Build(DeviceKey key)
    {
        if (!key.HasPrivateKey)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageKey, "the device key partition needs the device's private key (device-key.pem), not its public key");
        }
        var (scheme, material) = key.Rsa is { } rsa
            ? (SchemeRsa3072, rsa.ExportRSAPrivateKey())
            : (SchemeEciesP256, Scalar(key.Ec!));
        try
        {
            var image = new byte[Size];
            image.AsSpan().Fill(0xFF);
            Magic.CopyTo(image, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(8), (uint)scheme);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(12), (uint)material.Length);
            material.CopyTo(image, 16);
            SHA256.HashData(image.AsSpan(0, 16 + material.Length), image.AsSpan(16 + material.Length, 32));
            return image;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>The private scalar, big-endian, left-padded to 32 bytes as PSA imports it.</summary>
    private static byte[] Scalar(ECDiffieHellman ec)
    {
        var d = ec.ExportParameters(true).D!;
        var scalar = new byte[32];
        d.CopyTo(scalar, 32 - d.Length);
        CryptographicOperations.ZeroMemory(d);
        return scalar;
    }
}
