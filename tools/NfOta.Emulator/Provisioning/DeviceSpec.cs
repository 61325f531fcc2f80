using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Emulator.Provisioning;

/// <summary>Everything the factory puts on a board: layout, images, keys, eFuses and firmware configuration.</summary>
public sealed record DeviceSpec
{
    /// <summary>Two OTA slots and no factory app, the layout nf-ota recommends (see native/partitions).</summary>
    public const string TwoSlotCsv = """
        # Name,   Type, SubType, Offset,   Size
        nvs,      data, nvs,     0x9000,   0x4000
        otadata,  data, ota,     0xd000,   0x2000
        phy_init, data, phy,     0xf000,   0x1000
        ota_0,    app,  ota_0,   0x10000,  0x1F0000
        ota_1,    app,  ota_1,   0x200000, 0x1F0000
        """;

    /// <summary>
    /// Two OTA slots, each with its own deploy partition for the managed app (deploy_0 runs with
    /// ota_0, deploy_1 with ota_1; flagged encrypted, as nanoCLR maps them), on 4 MiB: the layout
    /// for updating firmware and app together (native/nf-interpreter/partitions has the real ones),
    /// and the nfota_key partition for pre-encrypted releases (blank until a key is placed there).
    /// </summary>
    public const string PairedCsv = """
        # Name,   Type, SubType, Offset,   Size,     Flags
        nvs,      data, nvs,     0x9000,   0x4000,
        otadata,  data, ota,     0xd000,   0x2000,
        phy_init, data, phy,     0xf000,   0x1000,
        ota_0,    app,  ota_0,   0x10000,  0x180000,
        ota_1,    app,  ota_1,   0x190000, 0x180000,
        deploy_0, data, 0x84,    0x310000, 0x60000,  encrypted
        deploy_1, data, 0x84,    0x370000, 0x60000,  encrypted
        nfota_key, 0x40, 0x4B,   0x3D0000, 0x1000,   encrypted
        """;

    public EspChip Chip { get; init; } = EspChip.Esp32;

    public int FlashSize { get; init; } = 4 << 20;

    public FlashTiming? Timing { get; init; }

    public string PartitionCsv { get; init; } = TwoSlotCsv;

    /// <summary>Images to place, by partition name (already signed when secure boot is on).</summary>
    public IReadOnlyDictionary<string, byte[]> Images { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Flash encryption key file bytes; null leaves flash encryption off.</summary>
    public byte[]? FlashEncryptionKey { get; init; }

    public int FlashCryptConfig { get; init; } = FlashCipher.DefaultFlashCryptConfig;

    /// <summary>
    /// True: flash plaintext and let the bootloader encrypt it on first boot, as ESP-IDF does in
    /// development. False: encrypt on the host and burn FLASH_CRYPT_CNT up front (faster in tests).
    /// </summary>
    public bool EncryptOnFirstBoot { get; init; }

    public FlashEncryptionMode FlashEncryptionMode { get; init; } = FlashEncryptionMode.Release;

    /// <summary>Secure boot v2 key digests to burn; empty leaves secure boot off.</summary>
    public IReadOnlyList<byte[]> SecureBootKeyDigests { get; init; } = [];

    /// <summary>Signs the bootloader when secure boot is on (the ROM check of the bootloader is not modelled).</summary>
    public SecureBootKey? BootloaderSigningKey { get; init; }

    /// <summary>Initial anti-rollback counter.</summary>
    public uint SecureVersion { get; init; }

    public int? ChipRevision { get; init; }

    /// <summary>Firmware configuration; by default it follows the keys given (encryption and secure boot on when present).</summary>
    public DeviceConfig? Config { get; init; }

    internal DeviceConfig EffectiveConfig => Config ?? new DeviceConfig
    {
        FlashEncryption = FlashEncryptionKey is not null,
        SecureBoot = SecureBootKeyDigests.Count > 0,
    };
}
