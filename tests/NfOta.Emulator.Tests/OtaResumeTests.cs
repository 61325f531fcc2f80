using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Tests;

/// <summary>esp_ota_resume as ESP-IDF v5.5 defines it: go on writing a partly written slot after a restart.</summary>
public class OtaResumeTests
{
    [Theory]
    [MemberData(nameof(Boards.SecuredChips), MemberType = typeof(Boards))]
    public void AnUpdateCutByAPowerLossIsFinishedFromTheLastWholeSector(string chipName)
    {
        // The slot to update still holds an older image, so every sector must be erased before it is written.
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0", codeBytes: 70_000)).Ok);
        device.Restart();
        Assert.Equal(EspErr.ESP_OK, device.Ota!.MarkAppValidCancelRollback());
        var image = Boards.Image(chip, "3.0.0", codeBytes: 60_000);
        var slot = device.Ota!.GetNextUpdatePartition(null)!;
        Assert.Equal("ota_0", slot.Label);

        // Stream 4 KiB chunks, erasing as we go; five land, then power is cut inside the sixth.
        Assert.Equal(EspErr.ESP_OK, device.Ota.Begin(slot, EspOta.WithSequentialWrites, out var handle));
        var written = 0;
        for (; written < 5 * 4096; written += 4096)
        {
            Assert.Equal(EspErr.ESP_OK, device.Ota.Write(handle, image.AsSpan(written, 4096)));
        }
        device.Flash.ArmPowerCut(new PowerCut(3, 0.5, Seed: 1));
        Assert.Throws<PowerLossException>(() => device.Ota.Write(handle, image.AsSpan(written, 4096)));
        Assert.Equal("ota_1", device.PowerOn().Partition!.Name);

        // The chunk being written when power went is suspect; everything before it is whole.
        var resumeAt = (uint)written;
        Assert.Equal(EspErr.ESP_OK, device.Ota!.Resume(slot, EspOta.WithSequentialWrites, resumeAt, out var resumed));
        for (var at = (int)resumeAt; at < image.Length; at += 4096)
        {
            Assert.Equal(EspErr.ESP_OK, device.Ota.Write(resumed, image.AsSpan(at, Math.Min(4096, image.Length - at))));
        }
        Assert.Equal(EspErr.ESP_OK, device.Ota.End(resumed));
        Assert.Equal(EspErr.ESP_OK, device.Ota.SetBootPartition(slot));
        Assert.Equal(slot.Label, device.Restart().Partition!.Name);
        Assert.Equal("3.0.0", device.RunningVersion());
        Assert.Empty(device.Flash.Violations);
    }

    [Fact]
    public void ResumingFromAWrongOffsetFailsAtEndNotAtResume()
    {
        // ESP-IDF trusts the offset; only esp_ota_end's image check finds out.
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        var image = Boards.Image(chip, "2.0.0", codeBytes: 30_000);
        var slot = device.Ota!.GetNextUpdatePartition(null)!;
        Assert.Equal(EspErr.ESP_OK, device.Ota.Begin(slot, EspOta.WithSequentialWrites, out var handle));
        Assert.Equal(EspErr.ESP_OK, device.Ota.Write(handle, image.AsSpan(0, 8192)));
        device.Restart();

        Assert.Equal(EspErr.ESP_OK, device.Ota!.Resume(slot, EspOta.WithSequentialWrites, 4096, out var resumed));
        Assert.Equal(EspErr.ESP_OK, device.Ota.Write(resumed, image.AsSpan(8192)));
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, device.Ota.End(resumed));
    }

    [Fact]
    public void ResumeRefusesWhatEspIdfRefuses()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        var slot = ota.GetNextUpdatePartition(null)!;
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.Resume(null, 0, 0, out _));
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.Resume(slot, 0, slot.Size + 1, out _));
        Assert.Equal(EspErr.ESP_ERR_OTA_PARTITION_CONFLICT, ota.Resume(device.RunningPartition, 0, 0, out _));
        var stranger = new EspPartition(9, new PartitionEntry("ghost", 0, 0x11, 0x300000, 0x10000), true);
        Assert.Equal(EspErr.ESP_ERR_NOT_FOUND, ota.Resume(stranger, 0, 0, out _));
        Assert.Equal(EspErr.ESP_OK, ota.Resume(slot, 0, slot.Size, out var handle));
        Assert.Equal(1, ota.OpenHandles);
        Assert.Equal(EspErr.ESP_OK, ota.Abort(handle));
    }
}
