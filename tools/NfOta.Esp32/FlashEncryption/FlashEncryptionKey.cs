using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// Turns the bytes of a key file into the key the flash-encryption hardware uses, exactly as
/// espsecure's <c>_load_hardware_key</c> does: ESP32 accepts 24 bytes (3/4 coding scheme,
/// extended to <c>key + key[8:16]</c>) or 32; XTS-AES accepts 16 (extended with SHA-256),
/// 32 (XTS-AES-128) or 64 (XTS-AES-256).
/// </summary>
public static class FlashEncryptionKey
{
    public static byte[] Normalize(FlashEncryptionScheme scheme, ReadOnlySpan<byte> keyFile)
    {
        if (scheme == FlashEncryptionScheme.Esp32AesTweak)
        {
            switch (keyFile.Length)
            {
                case 32:
                    return keyFile.ToArray();
                case 24:
                    // The 3/4 coding scheme stores 192 bits; the hardware repeats bytes 8..15.
                    var extended = new byte[32];
                    keyFile.CopyTo(extended);
                    keyFile.Slice(8, 8).CopyTo(extended.AsSpan(24));
                    return extended;
                default:
                    throw new Esp32FormatException(FormatError.KeyLength,
                        $"ESP32 flash encryption key must be 24 or 32 bytes (192 or 256 bits), but the key has {keyFile.Length} bytes");
            }
        }

        return keyFile.Length switch
        {
            16 => SHA256.HashData(keyFile),
            32 or 64 => keyFile.ToArray(),
            _ => throw new Esp32FormatException(FormatError.KeyLength,
                $"XTS-AES flash encryption key must be 16, 32 or 64 bytes, but the key has {keyFile.Length} bytes"),
        };
    }
}
