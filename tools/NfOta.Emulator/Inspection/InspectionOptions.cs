using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Emulator.Inspection;

/// <summary>What the caller knows about the board a dump came from.</summary>
public sealed record InspectionOptions
{
    /// <summary>The chip; null detects it from the bootloader image header.</summary>
    public EspChip? Chip { get; init; }

    /// <summary>The flash encryption key file bytes, to decrypt an encrypted dump.</summary>
    public byte[]? Key { get; init; }

    public int FlashCryptConfig { get; init; } = FlashCipher.DefaultFlashCryptConfig;

    public uint PartitionTableOffset { get; init; } = 0x8000;

    /// <summary>Secure boot key digests burnt in eFuse; empty means secure boot is not checked.</summary>
    public IReadOnlyList<byte[]> SecureBootKeyDigests { get; init; } = [];

    /// <summary>CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE of the bootloader that will read this flash.</summary>
    public bool AppRollback { get; init; } = true;

    public bool AntiRollback { get; init; }

    public uint SecureVersion { get; init; }
}
