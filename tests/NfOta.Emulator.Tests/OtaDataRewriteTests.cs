using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Tests;

/// <summary>
/// How esp_ota_set_boot_partition rewrites otadata, where ESP-IDF releases differ and where its
/// seq arithmetic wraps. v5.5 (what nf-interpreter builds with) is the default.
/// </summary>
public class OtaDataRewriteTests
{
    private static OtaDataSectors Otadata(VirtualEsp32 device)
    {
        var partition = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        var bytes = new byte[OtaDataSectors.PartitionSize];
        Assert.Equal(EspErr.ESP_OK, device.Partitions.Read(partition, 0, bytes));
        return OtaDataSectors.Parse(bytes);
    }

    [Fact]
    public void TheDefaultIsEspIdf55() => Assert.Equal(EspIdfRelease.V5_5, new DeviceConfig().EspIdf);

    [Fact]
    public void OnV55ASecondUpdateToTheSameSlotWithoutARebootOverwritesTheRunningAppsEntry()
    {
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0")).Ok);
        Assert.Equal(OtaSelectEntry.Create(1, OtaImageState.Valid), Otadata(device).First); // the running ota_0
        Assert.Equal(2u, Otadata(device).Second.Seq);

        Assert.True(OtaScript.Update(device, Boards.Image(chip, "3.0.0")).Ok);

        // v5.5 wrote the inactive entry, entry 0: both now select ota_1, ota_0 is gone from otadata.
        var otadata = Otadata(device);
        Assert.Equal(2u, otadata.First.Seq);
        Assert.Equal(OtaImageState.New, otadata.First.State);
        Assert.Equal(2u, otadata.Second.Seq);
    }

    [Fact]
    public void OnV60TheActiveEntryIsRewrittenInPlaceAndTheFallbackKept()
    {
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip, new DeviceConfig { EspIdf = EspIdfRelease.V6_0 });
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0")).Ok);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "3.0.0")).Ok);

        var otadata = Otadata(device);
        Assert.Equal(OtaSelectEntry.Create(1, OtaImageState.Valid), otadata.First);
        Assert.Equal(2u, otadata.Second.Seq);
        Assert.Equal(OtaImageState.New, otadata.Second.State);
    }

    [Fact]
    public void ASeqThatWrapsToTheEmptySeqLosesTheUpdateSilently()
    {
        // seq 0xFFFFFFFE selects ota_1 of 2; switching to ota_0 wraps to 0xFFFFFFFF, which the
        // bootloader reads as an empty entry: ESP-IDF returns ESP_OK and the board keeps ota_1.
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        var otadata = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        Assert.Equal(EspErr.ESP_OK, device.Partitions.EraseRange(otadata, 0, otadata.Size));
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0"), setBoot: false).Ok);
        Assert.Equal(EspErr.ESP_OK, device.Partitions.Write(otadata, 0, OtaSelectEntry.Create(0xFFFFFFFE, OtaImageState.Valid).ToBytes()));
        Assert.Equal("ota_1", device.Restart().Partition!.Name);

        Assert.True(OtaScript.Update(device, Boards.Image(chip, "3.0.0")).Ok);

        Assert.Equal(0xFFFFFFFFu, Otadata(device).Second.Seq);
        Assert.Equal("ota_1", device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", device.RunningVersion());
    }

    [Fact]
    public void ASeqSearchThatNeverEndsHangsTheCall()
    {
        // Four slots: seq 0xFFFFFFFD runs ota_0; no seq in [0xFFFFFFFD, 0xFFFFFFFF] selects ota_3
        // and 4 divides 2^32, so ESP-IDF's search loops forever.
        var chip = EspChip.Esp32C3;
        var spec = Boards.Spec(chip) with
        {
            PartitionCsv = """
                nvs,      data, nvs,     0x9000,   0x4000
                otadata,  data, ota,     0xd000,   0x2000
                phy_init, data, phy,     0xf000,   0x1000
                ota_0,    app,  ota_0,   0x10000,  0xF0000
                ota_1,    app,  ota_1,   0x100000, 0xF0000
                ota_2,    app,  ota_2,   0x1F0000, 0xF0000
                ota_3,    app,  ota_3,   0x2E0000, 0xF0000
                """,
        };
        var device = Provisioner.Create(spec);
        Assert.True(device.PowerOn().Booted);
        var otadata = device.Partitions!.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta)!;
        Assert.Equal(EspErr.ESP_OK, device.Partitions.EraseRange(otadata, 0, otadata.Size));
        Assert.Equal(EspErr.ESP_OK, device.Partitions.Write(otadata, 0, OtaSelectEntry.Create(0xFFFFFFFD, OtaImageState.Valid).ToBytes()));
        Assert.Equal("ota_0", device.Restart().Partition!.Name);

        var ota3 = device.Partitions.FindByLabel("ota_3");
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0"), setBoot: false, target: ota3).Ok);
        var hang = Assert.Throws<DeviceHangException>(() => device.Ota!.SetBootPartition(ota3));
        Assert.Contains("0xFFFFFFFD", hang.Message);
        Assert.Contains("ota_3", hang.Message);

        // ota_1 is still reachable from the same seq: 0xFFFFFFFE.
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "3.0.0"), target: device.Partitions.FindByLabel("ota_1")).Ok);
        Assert.Equal("ota_1", device.Restart().Partition!.Name);
    }

    [Fact]
    public void EspOtaEndVerifiesImagesButTakesADataPartitionAsWritten()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        Assert.Equal(EspErr.ESP_OK, ota.Begin(device.Partitions!.FindByLabel("nvs"), 0x1000, out var handle));
        Assert.Equal(EspErr.ESP_OK, ota.Write(handle, new byte[0x1000]));
        Assert.Equal(EspErr.ESP_OK, ota.End(handle));

        var slot = ota.GetNextUpdatePartition(null);
        Assert.Equal(EspErr.ESP_OK, ota.Begin(slot, 0x1000, out handle));
        var notAnImage = new byte[0x1000];
        notAnImage[0] = 0xE9;
        Assert.Equal(EspErr.ESP_OK, ota.Write(handle, notAnImage));
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, ota.End(handle));
    }
}
