using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Chips;

/// <summary>
/// What nf-ota needs to know about one ESP32-family chip. Values come from ESP-IDF v5.x
/// (<c>esp_chip_id_t</c>, <c>soc.h</c> IROM/DROM ranges, default bootloader offsets) and
/// from the security chapters of each chip's reference manual.
/// </summary>
public sealed record EspChip
{
    private EspChip(
        string name,
        string displayName,
        ushort chipId,
        FlashEncryptionScheme encryption,
        uint bootloaderOffset,
        AddressRange irom,
        AddressRange drom,
        int[] flashKeyLengths,
        SecureBootScheme secureBootSchemes,
        int maxSignatureBlocks,
        int encryptedWriteMaxRow = 32,
        int secureVersionBits = 16,
        int defaultRevision = 0)
    {
        Name = name;
        DisplayName = displayName;
        ChipId = chipId;
        Encryption = encryption;
        BootloaderOffset = bootloaderOffset;
        Irom = irom;
        Drom = drom;
        FlashKeyLengths = flashKeyLengths;
        SecureBootSchemes = secureBootSchemes;
        MaxSignatureBlocks = maxSignatureBlocks;
        EncryptedWriteMaxRow = encryptedWriteMaxRow;
        SecureVersionBits = secureVersionBits;
        DefaultRevision = defaultRevision;
    }

    /// <summary>Lower-case name as used by esptool and on the command line (<c>esp32c3</c>).</summary>
    public string Name { get; }

    /// <summary>Name as Espressif writes it (<c>ESP32-C3</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The <c>chip_id</c> field of an app image header (<c>esp_chip_id_t</c>).</summary>
    public ushort ChipId { get; }

    public FlashEncryptionScheme Encryption { get; }

    /// <summary>Where the second-stage bootloader lives in flash (0x1000 on ESP32/S2, 0x0 on the others).</summary>
    public uint BootloaderOffset { get; }

    /// <summary>Instruction bus range mapped from flash by the MMU.</summary>
    public AddressRange Irom { get; }

    /// <summary>Data bus range mapped from flash by the MMU.</summary>
    public AddressRange Drom { get; }

    /// <summary>Key file lengths (bytes) this chip's eFuses can hold for flash encryption.</summary>
    public IReadOnlyList<int> FlashKeyLengths { get; }

    /// <summary>
    /// Secure boot v2 schemes this chip's ROM can verify. Checked against ESP-IDF (master, read
    /// 2026-12): each chip's soc_caps.h sets SOC_SECURE_BOOT_V2_RSA only on S2, S3 and C3,
    /// SOC_SECURE_BOOT_V2_ECC only on C2, and both on C6 and H2; ESP32's soc_caps.h sets neither
    /// and explains that secure boot v2 (RSA) exists from ECO3 (rev3) on and is gated in the
    /// bootloader's Kconfig instead. secure-boot-v2.rst agrees: RSA-PSS by default, ECDSA on C2,
    /// RSA-PSS or ECDSA on C6 and H2, with ECDSA-256 (or 192, which nf-ota does not sign) there.
    /// </summary>
    public SecureBootScheme SecureBootSchemes { get; }

    /// <summary>Signature blocks the ROM/bootloader checks (1 on ESP32, 3 on later chips).</summary>
    public int MaxSignatureBlocks { get; }

    /// <summary>
    /// Largest row the flash-encryption engine writes at once: 32 bytes on ESP32 (two AES blocks
    /// sharing a tweaked key), 64 on ESP32-S2/S3, 32 on the others
    /// (SOC_FLASH_ENCRYPTED_XTS_AES_BLOCK_MAX).
    /// </summary>
    public int EncryptedWriteMaxRow { get; }

    /// <summary>Width of the anti-rollback secure_version eFuse field (ESP-IDF default).</summary>
    public int SecureVersionBits { get; }

    /// <summary>Silicon revision (major × 100 + minor) a virtual board of this chip reports by default.</summary>
    public int DefaultRevision { get; }

    /// <summary>Flash MMU page size. 64 KiB is the ESP-IDF default on every chip nf-ota supports.</summary>
    public uint MmuPageSize => 0x10000;

    /// <summary>Default partition table offset (ESP-IDF CONFIG_PARTITION_TABLE_OFFSET).</summary>
    public uint PartitionTableOffset => 0x8000;

    /// <summary>True when the flash cache maps this load address (IROM or DROM), as ESP-IDF's <c>should_map</c>.</summary>
    public bool IsMapped(uint loadAddress) => Irom.Contains(loadAddress) || Drom.Contains(loadAddress);

    public override string ToString() => DisplayName;

    public static EspChip Esp32 { get; } = new("esp32", "ESP32", 0x0000, FlashEncryptionScheme.Esp32AesTweak, 0x1000,
        new(0x400D0000, 0x40400000), new(0x3F400000, 0x3F800000), [24, 32], SecureBootScheme.Rsa3072, 1, 32, 32, 300);

    public static EspChip Esp32S2 { get; } = new("esp32s2", "ESP32-S2", 0x0002, FlashEncryptionScheme.XtsAes, 0x1000,
        new(0x40080000, 0x40800000), new(0x3F000000, 0x3FF80000), [32, 64], SecureBootScheme.Rsa3072, 3, 64, 16, 0);

    public static EspChip Esp32S3 { get; } = new("esp32s3", "ESP32-S3", 0x0009, FlashEncryptionScheme.XtsAes, 0x0,
        new(0x42000000, 0x44000000), new(0x3C000000, 0x3E000000), [32, 64], SecureBootScheme.Rsa3072, 3, 64, 16, 2);

    public static EspChip Esp32C2 { get; } = new("esp32c2", "ESP32-C2", 0x000C, FlashEncryptionScheme.XtsAes, 0x0,
        new(0x42000000, 0x42400000), new(0x3C000000, 0x3C400000), [16, 32], SecureBootScheme.EcdsaP256, 1, 32, 16, 1);

    public static EspChip Esp32C3 { get; } = new("esp32c3", "ESP32-C3", 0x0005, FlashEncryptionScheme.XtsAes, 0x0,
        new(0x42000000, 0x42800000), new(0x3C000000, 0x3C800000), [32], SecureBootScheme.Rsa3072, 3, 32, 16, 4);

    public static EspChip Esp32C6 { get; } = new("esp32c6", "ESP32-C6", 0x000D, FlashEncryptionScheme.XtsAes, 0x0,
        new(0x42000000, 0x43000000), new(0x42000000, 0x43000000), [32], SecureBootScheme.Rsa3072 | SecureBootScheme.EcdsaP256, 3);

    public static EspChip Esp32H2 { get; } = new("esp32h2", "ESP32-H2", 0x0010, FlashEncryptionScheme.XtsAes, 0x0,
        new(0x42000000, 0x43000000), new(0x42000000, 0x43000000), [32], SecureBootScheme.Rsa3072 | SecureBootScheme.EcdsaP256, 3);

    public static IReadOnlyList<EspChip> All { get; } = [Esp32, Esp32S2, Esp32S3, Esp32C2, Esp32C3, Esp32C6, Esp32H2];

    /// <summary>Parses <c>esp32c3</c>, <c>ESP32-C3</c> or <c>esp32-c3</c>.</summary>
    public static EspChip Parse(string name)
    {
        var key = name.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var chip in All)
        {
            if (chip.Name == key) return chip;
        }
        throw new Esp32FormatException(FormatError.UnknownChip,
            $"unknown chip '{name}'; expected one of {string.Join(", ", All.Select(c => c.Name))}");
    }

    /// <summary>The chip an image header's <c>chip_id</c> names, or null when nf-ota does not know it.</summary>
    public static EspChip? FromChipId(ushort chipId) => All.FirstOrDefault(c => c.ChipId == chipId);

    /// <summary>A readable name for any chip id, known or not, for error messages.</summary>
    public static string DescribeChipId(ushort chipId) =>
        FromChipId(chipId) is { } chip ? $"{chip.DisplayName} (id {chipId})" : $"an unknown chip (id {chipId})";
}
