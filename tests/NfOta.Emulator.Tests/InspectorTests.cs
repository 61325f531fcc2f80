using NfOta.Emulator.Device;
using NfOta.Emulator.Inspection;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Emulator.Tests;

public class InspectorTests
{
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void InspectNamesThePlaintextOtadataAndPredictsTheOldSlot(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var (board, dump) = Boards.SeedFailure(chip);
        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = Boards.FlashKey(chip) });

        Assert.Equal(chip.Name, report.Chip); // detected from the encrypted bootloader
        Assert.True(report.FlashEncrypted);
        Assert.Equal("ota_0", report.Boot.Partition);
        Assert.Equal("1.0.0", report.Boot.Version);
        var finding = Assert.Single(report.Findings, f => f.Code == "otadata-plaintext");
        Assert.Contains("otadata[1]", finding.Message);
        Assert.Contains("WITHOUT encryption", finding.Message);
        var sector = report.Otadata!.Sectors[1];
        Assert.False(sector.AsBootloaderSees.CrcOk);
        Assert.True(sector.Raw.Valid);
        Assert.Equal("ota_1", sector.Raw.Slot);

        // The prediction matches what the emulated board then does.
        Assert.Equal(report.Boot.Partition, board.Restart().Partition!.Name);
    }

    [Fact]
    public void InspectWithoutKeyExplainsWhatIsMissing()
    {
        var (_, dump) = Boards.SeedFailure(EspChip.Esp32C3);
        var report = FlashInspector.Inspect(dump, new InspectionOptions());
        Assert.False(report.PartitionTable.Valid);
        Assert.Contains(report.Findings, f => f.Code == "partition-table-unreadable" && f.Message.Contains("--key"));
        Assert.Null(report.Boot.Partition);
    }

    [Fact]
    public void InspectReportsSlotsAndTrustedSignatures()
    {
        var chip = EspChip.Esp32S3;
        var device = Boards.Secured(chip);
        OtaScript.Update(device, Boards.Image(chip, "2.0.0"));
        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions
        {
            Key = Boards.FlashKey(chip),
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(Boards.SigningKey)],
        });
        Assert.Equal(["1.0.0", "2.0.0"], report.Slots.Select(s => s.Version));
        Assert.All(report.Slots, s => Assert.True(s.Signature!.Trusted));
        Assert.Equal("ota_1", report.Boot.Partition);
        Assert.Contains(report.Boot.Log, l => l.Contains("would write otadata")); // NEW -> PENDING_VERIFY, not applied to the dump
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void InspectSpotsAPlaintextImageOnAnEncryptedBoard()
    {
        var chip = EspChip.Esp32;
        var device = Boards.Secured(chip);
        var slot = device.Ota!.GetNextUpdatePartition(null)!;
        var image = Boards.Image(chip, "2.0.0");
        device.Partitions!.EraseRange(slot, 0, (uint)(image.Length + 4095) / 4096 * 4096);
        device.Partitions.WriteRaw(slot, 0, image);
        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) });
        Assert.Contains(report.Findings, f => f.Code == "image-plaintext" && f.Message.Contains(slot.Label));
        Assert.Equal("plaintext image (written raw)", report.Slots.Single(s => s.Name == slot.Label).Status);
    }

    [Fact]
    public void PlaintextBoardsNeedNoKey()
    {
        var chip = EspChip.Esp32C3;
        var spec = Boards.Spec(chip) with { FlashEncryptionKey = null };
        var device = Provisioning.Provisioner.Create(spec);
        device.PowerOn();
        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions());
        Assert.False(report.FlashEncrypted);
        Assert.Equal(chip.Name, report.Chip);
        Assert.Equal("ota_0", report.Boot.Partition);
    }
}
