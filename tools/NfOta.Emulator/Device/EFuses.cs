using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Emulator.Device;

/// <summary>Flash encryption's two modes: development allows re-flashing plaintext over UART, release does not.</summary>
public enum FlashEncryptionMode
{
    Development,
    Release,
}

/// <summary>
/// The one-time-programmable settings that matter for updates. Like real eFuses they only move
/// one way: counters only grow, keys are written once.
/// </summary>
public sealed class EFuses
{
    private readonly List<byte[]> _keyDigests = [];

    public EFuses(EspChip chip, int? revision = null)
    {
        Chip = chip;
        ChipRevision = revision ?? chip.DefaultRevision;
    }

    public EspChip Chip { get; }

    /// <summary>Another chip's eFuses burnt exactly like these (a board copied for a power-cut run).</summary>
    public EFuses Copy()
    {
        var copy = new EFuses(Chip, ChipRevision)
        {
            FlashEncryptionKey = FlashEncryptionKey,
            FlashCryptConfig = FlashCryptConfig,
            FlashCryptCount = FlashCryptCount,
            FlashEncryptionMode = FlashEncryptionMode,
            SecureBootEnabled = SecureBootEnabled,
            SecureVersion = SecureVersion,
        };
        copy._keyDigests.AddRange(_keyDigests);
        return copy;
    }

    /// <summary>Silicon revision, major × 100 + minor.</summary>
    public int ChipRevision { get; }

    /// <summary>The flash encryption key as a key file holds it (24/32 bytes ESP32, 16/32/64 others); null until burnt.</summary>
    public byte[]? FlashEncryptionKey { get; private set; }

    /// <summary>ESP32's FLASH_CRYPT_CONFIG.</summary>
    public int FlashCryptConfig { get; private set; } = FlashCipher.DefaultFlashCryptConfig;

    /// <summary>Bits set in FLASH_CRYPT_CNT (ESP32) or SPI_BOOT_CRYPT_CNT: an odd count means encryption is on.</summary>
    public int FlashCryptCount { get; private set; }

    public bool FlashEncryptionEnabled => FlashCryptCount % 2 == 1;

    public FlashEncryptionMode FlashEncryptionMode { get; private set; } = FlashEncryptionMode.Development;

    public bool SecureBootEnabled { get; private set; }

    /// <summary>SHA-256 digests of the secure boot v2 public keys (one on ESP32, up to three later).</summary>
    public IReadOnlyList<byte[]> SecureBootKeyDigests => _keyDigests;

    /// <summary>The anti-rollback counter: apps with a lower secure_version are refused.</summary>
    public uint SecureVersion { get; private set; }

    public void BurnFlashEncryptionKey(byte[] keyFile, int flashCryptConfig = FlashCipher.DefaultFlashCryptConfig)
    {
        if (FlashEncryptionKey is not null) throw new InvalidOperationException("the flash encryption key block is already burnt");
        NfOta.Esp32.FlashEncryption.FlashEncryptionKey.Normalize(Chip.Encryption, keyFile); // throws for a length the hardware cannot hold
        if (!Chip.FlashKeyLengths.Contains(keyFile.Length))
        {
            throw new ArgumentException($"{Chip.DisplayName} eFuses hold flash encryption keys of {string.Join(" or ", Chip.FlashKeyLengths)} bytes, not {keyFile.Length}");
        }
        FlashEncryptionKey = (byte[])keyFile.Clone();
        FlashCryptConfig = flashCryptConfig;
    }

    /// <summary>Burns one more FLASH_CRYPT_CNT bit (the bootloader does this after encrypting flash).</summary>
    public void IncrementFlashCryptCount()
    {
        if (FlashCryptCount >= 7) throw new InvalidOperationException("FLASH_CRYPT_CNT is exhausted");
        FlashCryptCount++;
    }

    /// <summary>For reading dumps: encryption is on, but the key is held outside the model.</summary>
    internal void AssumeFlashEncryptionOn() => FlashCryptCount = Math.Max(FlashCryptCount, 1);

    public void SetFlashEncryptionMode(FlashEncryptionMode mode)
    {
        if (FlashEncryptionMode == FlashEncryptionMode.Release && mode == FlashEncryptionMode.Development)
        {
            throw new InvalidOperationException("release mode cannot be undone");
        }
        FlashEncryptionMode = mode;
    }

    public void BurnSecureBootKeyDigest(byte[] digest)
    {
        if (digest.Length != 32) throw new ArgumentException("a secure boot key digest is 32 bytes");
        var slots = Chip.MaxSignatureBlocks;
        if (_keyDigests.Count >= slots) throw new InvalidOperationException($"{Chip.DisplayName} has {slots} secure boot key digest slot(s), all used");
        _keyDigests.Add((byte[])digest.Clone());
    }

    public void EnableSecureBoot()
    {
        if (_keyDigests.Count == 0) throw new InvalidOperationException("secure boot needs at least one key digest burnt first");
        SecureBootEnabled = true;
    }

    /// <summary><c>esp_efuse_check_secure_version</c>: may an app with this secure_version run?</summary>
    public bool CheckSecureVersion(uint appSecureVersion) => appSecureVersion >= SecureVersion;

    /// <summary><c>esp_efuse_update_secure_version</c>: raise the counter, never lower it, within the field's width.</summary>
    public void UpdateSecureVersion(uint appSecureVersion)
    {
        if (appSecureVersion <= SecureVersion) return;
        if (appSecureVersion > (uint)Chip.SecureVersionBits)
        {
            throw new InvalidOperationException($"secure_version {appSecureVersion} does not fit the {Chip.SecureVersionBits}-bit eFuse field");
        }
        SecureVersion = appSecureVersion;
    }
}
