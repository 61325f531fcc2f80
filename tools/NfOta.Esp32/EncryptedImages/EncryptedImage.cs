using System.Security.Cryptography;
using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// ESP-IDF's pre-encrypted OTA image (esp_encrypted_img): the image encrypted with a random AES-256
/// key in GCM mode, the key wrapped to the device's RSA-3072 key (PKCS#1 v1.5) or agreed with its
/// P-256 key (ECDH with an ephemeral key, then HKDF-SHA256 with a random salt). It keeps a release
/// secret on servers and proxies; the device decrypts in RAM and flash encryption still applies.
/// It gives confidentiality, not authenticity: the signed manifest covers the plaintext.
/// </summary>
public static class EncryptedImage
{
    /// <summary>HKDF "info" of the ECIES scheme.</summary>
    private static readonly byte[] HkdfInfo = Encoding.ASCII.GetBytes("_esp_enc_img_ecc");

    /// <summary>Where the random values come from: the system RNG, or fixed bytes in tests.</summary>
    public interface IRandomness
    {
        byte[] Bytes(int count);

        /// <summary>The ephemeral P-256 key of the ECIES scheme.</summary>
        ECDiffieHellman EphemeralKey();
    }

    public sealed class SystemRandomness : IRandomness
    {
        public static SystemRandomness Instance { get; } = new();

        public byte[] Bytes(int count) => RandomNumberGenerator.GetBytes(count);

        public ECDiffieHellman EphemeralKey() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    }

    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, DeviceKey device, IRandomness? randomness = null)
    {
        randomness ??= SystemRandomness.Instance;
        var keyField = new byte[EncryptedImageHeader.RsaWrappedKeySize];
        byte[] aesKey;
        if (device.Rsa is { } rsa)
        {
            aesKey = randomness.Bytes(32);
            rsa.Encrypt(aesKey, RSAEncryptionPadding.Pkcs1).CopyTo(keyField, 0);
        }
        else
        {
            using var ephemeral = randomness.EphemeralKey();
            var q = ephemeral.ExportParameters(false).Q;
            q.X!.CopyTo(keyField, 0);
            q.Y!.CopyTo(keyField, 32);
            var salt = randomness.Bytes(EncryptedImageHeader.EcSaltSize);
            salt.CopyTo(keyField, EncryptedImageHeader.EcSaltOffset - EncryptedImageHeader.KeyFieldOffset);
            aesKey = AgreedKey(ephemeral, device.Ec!.PublicKey, salt);
        }
        var iv = randomness.Bytes(EncryptedImageHeader.IvSize);
        var tag = new byte[EncryptedImageHeader.TagSize];
        var ciphertext = Gcm16.Encrypt(aesKey, iv, plaintext, tag);
        var header = new EncryptedImageHeader { KeyField = keyField, Iv = iv, PlaintextSize = plaintext.Length, Tag = tag };
        return [.. header.ToBytes(), .. ciphertext];
    }

    /// <summary>
    /// Decrypts with the device's private key. Throws <see cref="Esp32FormatException"/>: truncated,
    /// bad magic, a key that cannot unwrap it, or a tag that does not verify (altered, or another key).
    /// </summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> file, DeviceKey device)
    {
        if (!device.HasPrivateKey)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageKey, "decrypting needs the device's private key, not its public key");
        }
        var header = EncryptedImageHeader.Parse(file);
        byte[] aesKey;
        if (device.Rsa is { } rsa)
        {
            try
            {
                aesKey = rsa.Decrypt(header.KeyField, RSAEncryptionPadding.Pkcs1);
            }
            catch (CryptographicException)
            {
                throw new Esp32FormatException(FormatError.EncryptedImageKey, "the AES key does not unwrap with this RSA key: the image was encrypted for another device key");
            }
            if (aesKey.Length != 32)
            {
                throw new Esp32FormatException(FormatError.EncryptedImageKey, $"the unwrapped AES key is {aesKey.Length} bytes, not 32");
            }
        }
        else
        {
            var point = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = header.KeyField[..32], Y = header.KeyField[32..64] },
            };
            using var server = ECDiffieHellman.Create();
            try
            {
                server.ImportParameters(point);
            }
            catch (CryptographicException)
            {
                throw new Esp32FormatException(FormatError.EncryptedImageKey, "the header's ephemeral public key is not a point on P-256: the image was not encrypted for a P-256 (ECIES) device key");
            }
            var salt = header.KeyField.AsSpan(EncryptedImageHeader.EcSaltOffset - EncryptedImageHeader.KeyFieldOffset, EncryptedImageHeader.EcSaltSize);
            aesKey = AgreedKey(device.Ec!, server.PublicKey, salt);
        }
        return Gcm16.Decrypt(aesKey, header.Iv, file[EncryptedImageHeader.Size..], header.Tag);
    }

    /// <summary>ECDH's shared X coordinate, then HKDF-SHA256 with the header's salt and the scheme's info.</summary>
    private static byte[] AgreedKey(ECDiffieHellman own, ECDiffieHellmanPublicKey other, ReadOnlySpan<byte> salt)
    {
        var shared = own.DeriveRawSecretAgreement(other);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt.ToArray(), HkdfInfo);
    }
}
