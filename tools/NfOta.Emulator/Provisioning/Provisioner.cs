using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.Images;
using NfOta.Esp32.Partitions;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Emulator.Provisioning;

/// <summary>
/// Makes a board ready to power on, as a factory does with esptool and espefuse: writes the
/// bootloader, partition table, erased otadata and app images, burns the keys, and (unless the
/// first boot is to do it) encrypts the flash on the host.
/// </summary>
public static class Provisioner
{
    public static VirtualEsp32 Create(DeviceSpec spec)
    {
        var config = spec.EffectiveConfig;
        var table = PartitionTableCsv.Parse(spec.PartitionCsv, config.PartitionTableOffset);
        PartitionTableValidator.Validate(table, config.PartitionTableOffset);
        var device = new VirtualEsp32(spec.Chip, config, spec.FlashSize, spec.Timing, spec.ChipRevision);

        var image = BuildFlashImage(spec, table, config);
        device.Flash.Load(0, image);

        if (spec.FlashEncryptionKey is { } key)
        {
            device.EFuses.BurnFlashEncryptionKey(key, spec.FlashCryptConfig);
            device.EFuses.SetFlashEncryptionMode(spec.FlashEncryptionMode);
            if (!spec.EncryptOnFirstBoot)
            {
                using var cipher = FlashCipher.Create(spec.Chip, key, spec.FlashCryptConfig);
                foreach (var (address, length) in EncryptedRegions(spec, table, config, image))
                {
                    var region = image.AsSpan((int)address, (int)length).ToArray();
                    cipher.Encrypt(region, region, address);
                    device.Flash.Load(address, region);
                }
                device.EFuses.IncrementFlashCryptCount();
            }
        }
        foreach (var digest in spec.SecureBootKeyDigests) device.EFuses.BurnSecureBootKeyDigest(digest);
        if (spec.SecureBootKeyDigests.Count > 0) device.EFuses.EnableSecureBoot();
        device.EFuses.UpdateSecureVersion(spec.SecureVersion);
        device.Flash.ClearLog();
        return device;
    }

    /// <summary>The plaintext flash contents: 0xFF everywhere except the bootloader, the table and the images.</summary>
    public static byte[] BuildFlashImage(DeviceSpec spec, PartitionTable table, DeviceConfig config)
    {
        var flash = new byte[spec.FlashSize];
        flash.AsSpan().Fill(0xFF);
        var bootloader = SyntheticBootloader.Build(spec.Chip);
        if (spec.BootloaderSigningKey is { } signingKey) bootloader = SecureBootV2.Sign(bootloader, signingKey);
        if (spec.Chip.BootloaderOffset + bootloader.Length > config.PartitionTableOffset)
        {
            throw new InvalidOperationException("the bootloader does not fit below the partition table");
        }
        bootloader.CopyTo(flash, (int)spec.Chip.BootloaderOffset);
        PartitionTableBinary.Serialize(table).CopyTo(flash, (int)config.PartitionTableOffset);
        foreach (var (name, bytes) in spec.Images)
        {
            var partition = table.FindByName(name) ?? throw new ArgumentException($"no partition named '{name}' for an image");
            if (bytes.Length > partition.Size)
            {
                throw new ArgumentException($"image for '{name}' is {bytes.Length} bytes; the partition holds {partition.Size}");
            }
            bytes.CopyTo(flash, (int)partition.Offset);
        }
        return flash;
    }

    /// <summary>The regions first-boot encryption would encrypt (see <see cref="FirstBootEncryption"/>).</summary>
    private static IEnumerable<(uint Address, uint Length)> EncryptedRegions(DeviceSpec spec, PartitionTable table, DeviceConfig config, byte[] image)
    {
        yield return (spec.Chip.BootloaderOffset, SectorAligned(StoredLength(image.AsSpan((int)spec.Chip.BootloaderOffset,
            (int)(config.PartitionTableOffset - spec.Chip.BootloaderOffset)), config.SecureBoot)));
        yield return (config.PartitionTableOffset, FlashTiming.SectorSize);
        foreach (var partition in table)
        {
            if (partition.IsApp)
            {
                if (!spec.Images.ContainsKey(partition.Name)) continue;
                var length = StoredLength(image.AsSpan((int)partition.Offset, (int)partition.Size), config.SecureBoot);
                yield return (partition.Offset, SectorAligned(length));
            }
            else if (partition.StoredEncrypted)
            {
                yield return (partition.Offset, partition.Size);
            }
        }
    }

    /// <summary>Image length, including the signature sector when secure boot is on and the image has room for one.</summary>
    private static uint StoredLength(ReadOnlySpan<byte> region, bool signed)
    {
        var image = AppImage.Parse(region);
        return (uint)(signed && image.SignedLength <= region.Length ? image.SignedLength : image.Length);
    }

    private static uint SectorAligned(uint length) => (length + FlashTiming.SectorSize - 1) & ~(uint)(FlashTiming.SectorSize - 1);
}
