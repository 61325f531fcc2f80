using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>Creates the flash cipher a chip uses.</summary>
public static class FlashCipher
{
    /// <summary>FLASH_CRYPT_CONFIG value ESP-IDF burns in production: every key bit is tweaked.</summary>
    public const int DefaultFlashCryptConfig = 0xF;

    /// <param name="chip">The chip whose flash is encrypted.</param>
    /// <param name="keyFile">Key bytes as stored in a key file (see <see cref="FlashEncryptionKey"/>).</param>
    /// <param name="flashCryptConfig">ESP32 only: the 4-bit FLASH_CRYPT_CONFIG eFuse.</param>
    public static IFlashCipher Create(EspChip chip, ReadOnlySpan<byte> keyFile, int flashCryptConfig = DefaultFlashCryptConfig) =>
        Create(chip.Encryption, keyFile, flashCryptConfig);

    public static IFlashCipher Create(FlashEncryptionScheme scheme, ReadOnlySpan<byte> keyFile, int flashCryptConfig = DefaultFlashCryptConfig)
    {
        if (flashCryptConfig is < 0 or > 0xF)
        {
            throw new Esp32FormatException(FormatError.InvalidArgument,
                $"FLASH_CRYPT_CONFIG is a 4-bit eFuse (0..15), not {flashCryptConfig}");
        }
        var key = FlashEncryptionKey.Normalize(scheme, keyFile);
        return scheme == FlashEncryptionScheme.Esp32AesTweak
            ? new Esp32AesTweakCipher(key, flashCryptConfig)
            : new XtsAesFlashCipher(key);
    }
}
