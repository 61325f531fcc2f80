using NfOta.Emulator.Device;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Tests;

/// <summary>
/// The failure nf-ota exists to end: on a flash-encrypted board, an updater writes otadata with a
/// raw flash write. The bootloader reads otadata through decryption, sees garbage, and keeps
/// booting the old slot. The same update through esp_ota_set_boot_partition switches slots.
/// </summary>
public class SeedStoryTests
{
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void PlaintextOtadataWrittenRawKeepsTheOldSlot(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        Assert.Equal("ota_0", device.RunningPartition!.Label);

        // The image itself goes through the OTA API correctly...
        var update = OtaScript.Update(device, Boards.Image(chip, "2.0.0"), setBoot: false);
        Assert.True(update.Ok, update.ToString());

        // ...but otadata is written the seed's way: computed on the side, erased and written raw.
        var otadata = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        var entry = OtaSelectEntry.Create(2, OtaImageState.New); // seq 2 selects ota_1
        Assert.Equal(EspErr.ESP_OK, device.Partitions.EraseRange(otadata, 0x1000, 0x1000));
        Assert.Equal(EspErr.ESP_OK, device.Partitions.WriteRaw(otadata, 0x1000, entry.ToBytes()));

        var boot = device.Restart();
        Assert.True(boot.Booted);
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Equal("1.0.0", boot.App!.Version);
        Assert.Contains(boot.Log, line => line.Contains("otadata[1]") && line.Contains("CRC BAD"));
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void TheSameUpdateThroughSetBootPartitionSwitchesSlots(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        var update = OtaScript.Update(device, Boards.Image(chip, "2.0.0"));
        Assert.True(update.Ok, update.ToString());

        var boot = device.Restart();
        Assert.Equal("ota_1", boot.Partition!.Name);
        Assert.Equal("2.0.0", boot.App!.Version);
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetStatePartition(device.RunningPartition, out var state));
        Assert.Equal(OtaImageState.PendingVerify, state);
    }
}
