namespace NfOta.Emulator.Device;

/// <summary>The sdkconfig options of the firmware and bootloader that change update behaviour.</summary>
public sealed record DeviceConfig
{
    /// <summary>CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE: new images boot as PENDING_VERIFY and must confirm themselves.</summary>
    public bool AppRollback { get; init; } = true;

    /// <summary>CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK: refuse apps whose secure_version is below the eFuse counter.</summary>
    public bool AntiRollback { get; init; }

    /// <summary>CONFIG_SECURE_FLASH_ENC_ENABLED: the bootloader turns flash encryption on at first boot.</summary>
    public bool FlashEncryption { get; init; } = true;

    /// <summary>CONFIG_SECURE_BOOT_V2_ENABLED (and SECURE_SIGNED_ON_UPDATE): images must carry a valid signature.</summary>
    public bool SecureBoot { get; init; } = true;

    /// <summary>The ESP-IDF release the firmware is built with (default v5.5, as nf-interpreter pins 5.5.4).</summary>
    public EspIdfRelease EspIdf { get; init; } = EspIdfRelease.V5_5;

    /// <summary>CONFIG_PARTITION_TABLE_OFFSET.</summary>
    public uint PartitionTableOffset { get; init; } = 0x8000;

    /// <summary>CONFIG_PARTITION_TABLE_MD5.</summary>
    public bool PartitionTableMd5 { get; init; } = true;
}
