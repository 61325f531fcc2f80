using NfOta.Esp32.Errors;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// AES-256-GCM with esp_encrypted_img's 16-byte IV and 16-byte tag, no associated data. .NET's
/// AesGcm takes only 12-byte nonces, so this one primitive comes from BouncyCastle.
/// </summary>
internal static class Gcm16
{
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> tag)
    {
        var gcm = Create(key, iv, forEncryption: true);
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var n = gcm.ProcessBytes(plaintext, output);
        n += gcm.DoFinal(output.AsSpan(n));
        output.AsSpan(plaintext.Length, EncryptedImageHeader.TagSize).CopyTo(tag);
        return output[..plaintext.Length];
    }

    /// <summary>Throws <see cref="Esp32FormatException"/> (encrypted-image-tag) when the tag does not verify; nothing is returned then.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag)
    {
        var gcm = Create(key, iv, forEncryption: false);
        var output = new byte[gcm.GetOutputSize(ciphertext.Length + tag.Length)];
        try
        {
            // GCM decryption takes the tag as the input's last 16 bytes; feed it after the ciphertext, without a copy of both.
            var n = gcm.ProcessBytes(ciphertext, output);
            n += gcm.ProcessBytes(tag, output.AsSpan(n));
            gcm.DoFinal(output.AsSpan(n));
        }
        catch (InvalidCipherTextException)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageTag,
                "the image's GCM tag does not verify: it was altered, or it was encrypted for another device key");
        }
        return output;
    }

    private static GcmBlockCipher Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool forEncryption)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key.ToArray()), EncryptedImageHeader.TagSize * 8, iv.ToArray()));
        return gcm;
    }
}
