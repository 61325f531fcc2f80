using NfOta.Emulator.Device;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Tests;

namespace NfOta.Emulator.Tests;

/// <summary>Secured boards for tests: flash encryption and secure boot v2 on, v1 in ota_0.</summary>
public static class Boards
{
    /// <summary>espsecure's RSA-3072 test key (tests/vectors), so signing is fast and deterministic in key.</summary>
    public static SecureBootKey SigningKey { get; } =
        SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "secure-boot-v2", "key-rsa3072.pem")));

    public static SecureBootKey OtherKey { get; } =
        SecureBootKey.FromPem(System.Security.Cryptography.RSA.Create(3072).ExportRSAPrivateKeyPem());

    public static byte[] FlashKey(EspChip chip) =>
        Enumerable.Range(0, chip.FlashKeyLengths.Max()).Select(i => (byte)(i * 7 + chip.ChipId)).ToArray();

    public static byte[] Image(EspChip chip, string version, uint secureVersion = 0, int codeBytes = 20_000, SecureBootKey? key = null) =>
        SecureBootV2.Sign(TestImages.Build(chip, version, secureVersion, codeBytes, seed: version.GetHashCode()), key ?? SigningKey);

    public static DeviceSpec Spec(EspChip chip, DeviceConfig? config = null) => new()
    {
        Chip = chip,
        Images = new Dictionary<string, byte[]> { ["ota_0"] = Image(chip, "1.0.0") },
        FlashEncryptionKey = FlashKey(chip),
        SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(SigningKey)],
        BootloaderSigningKey = SigningKey,
        Config = config,
    };

    public static VirtualEsp32 Secured(EspChip chip, DeviceConfig? config = null)
    {
        var device = Provisioner.Create(Spec(chip, config));
        var boot = device.PowerOn();
        Assert.True(boot.Booted, boot.ToString());
        return device;
    }

    public static TheoryData<string> SecuredChips() => new(["esp32", "esp32c3", "esp32s3"]);

    public static string RunningVersion(this VirtualEsp32 device)
    {
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetPartitionDescription(device.RunningPartition, out var description));
        return description!.Version;
    }

    /// <summary>The seed's failure, left in flash; used by this class and by the CLI tests.</summary>
    public static (VirtualEsp32 Board, byte[] Dump) SeedFailure(EspChip chip)
    {
        var device = Boards.Secured(chip);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0"), setBoot: false).Ok);
        var otadata = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        device.Partitions.EraseRange(otadata, 0x1000, 0x1000);
        device.Partitions.WriteRaw(otadata, 0x1000, OtaSelectEntry.Create(2, OtaImageState.New).ToBytes());
        return (device, device.Flash.Dump());
    }
}
