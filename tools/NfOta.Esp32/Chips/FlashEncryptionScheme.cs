namespace NfOta.Esp32.Chips;

/// <summary>The two flash-encryption designs Espressif has shipped.</summary>
public enum FlashEncryptionScheme
{
    /// <summary>Classic ESP32: AES-256 with a key tweaked per 32-byte block by FLASH_CRYPT_CONFIG.</summary>
    Esp32AesTweak,

    /// <summary>ESP32-S2 and later: XTS-AES over 128-byte data units.</summary>
    XtsAes,
}
