using NfOta.Emulator.Flash;
using NfOta.Esp32.Images;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Device;

/// <summary>
/// What ESP-IDF's bootloader does on the first boot with CONFIG_SECURE_FLASH_ENC_ENABLED
/// (flash_encrypt.c <c>esp_flash_encrypt_contents</c>): encrypt in place the bootloader, the
/// partition table, every app partition holding a valid image (the image length), otadata,
/// nvs_keys and partitions flagged "encrypted"; then burn one FLASH_CRYPT_CNT bit and reset.
/// Each region is handled a sector at a time: read plaintext, erase, write through the engine.
/// </summary>
internal static class FirstBootEncryption
{
    public static IReadOnlyList<string> Run(VirtualEsp32 device)
    {
        var log = new List<string>();
        var driver = device.Driver;
        var chip = device.Chip;

        var signed = device.Config.SecureBoot;
        var bootloaderLength = ImageLength(driver, chip.BootloaderOffset, device.Config.PartitionTableOffset - chip.BootloaderOffset, signed);
        if (bootloaderLength > 0)
        {
            EncryptRegion(driver, chip.BootloaderOffset, (uint)bootloaderLength);
            log.Add($"encrypted bootloader at 0x{chip.BootloaderOffset:X} ({bootloaderLength} bytes)");
        }

        var rawTable = new byte[PartitionTableBinary.MaxLength];
        driver.Read(device.Config.PartitionTableOffset, rawTable);
        var table = PartitionTableBinary.Parse(rawTable);
        EncryptRegion(driver, device.Config.PartitionTableOffset, FlashTiming.SectorSize);
        log.Add($"encrypted partition table at 0x{device.Config.PartitionTableOffset:X}");

        foreach (var partition in table)
        {
            uint length;
            if (partition.IsApp)
            {
                var image = ImageLength(driver, partition.Offset, partition.Size, signed);
                if (image <= 0) continue;
                length = (uint)image;
            }
            else if (partition.StoredEncrypted)
            {
                length = partition.Size;
            }
            else
            {
                continue;
            }
            EncryptRegion(driver, partition.Offset, length);
            log.Add($"encrypted {partition.Name} at 0x{partition.Offset:X} ({length} bytes)");
        }

        device.EFuses.IncrementFlashCryptCount();
        log.Add($"burnt FLASH_CRYPT_CNT: flash encryption enabled ({device.EFuses.FlashEncryptionMode} mode); resetting");
        return log;
    }

    /// <summary>
    /// Length of a valid plaintext image at an address (with its signature sector when secure boot
    /// is on, as esp_image_verify reports it), or 0 when there is none.
    /// </summary>
    private static int ImageLength(FlashDriver driver, uint address, uint maxLength, bool signed)
    {
        var bytes = new byte[maxLength];
        driver.Read(address, bytes);
        try
        {
            var image = AppImage.Parse(bytes);
            return signed && image.SignedLength <= maxLength ? image.SignedLength : image.Length;
        }
        catch (Esp32.Errors.Esp32FormatException)
        {
            return 0;
        }
    }

    /// <summary>esp_flash_encrypt_region: sector by sector, read plaintext, erase, write encrypted.</summary>
    private static void EncryptRegion(FlashDriver driver, uint address, uint length)
    {
        var sector = new byte[FlashTiming.SectorSize];
        var end = address + length;
        for (var at = address & ~(uint)(FlashTiming.SectorSize - 1); at < end; at += FlashTiming.SectorSize)
        {
            driver.Read(at, sector);
            driver.EraseRegion(at, FlashTiming.SectorSize);
            driver.WriteEncrypted(at, sector);
        }
    }
}
