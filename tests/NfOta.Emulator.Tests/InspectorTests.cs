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

    [Theory]
    [InlineData("esp32", "0x1000")]
    [InlineData("esp32c3", "0x0")]
    public void AnEncryptedDumpWithoutAKeyIsSaidToBeEncryptedNotToBootNothing(string chipName, string bootloaderAt)
    {
        var chip = EspChip.Parse(chipName);
        var (_, dump) = Boards.SeedFailure(chip);

        var report = FlashInspector.Inspect(dump, new InspectionOptions());
        Assert.Equal("dump-encrypted", report.Unreadable?.Code);
        Assert.StartsWith("this dump is encrypted: give the flash-encryption key with --key", report.Unreadable!.Message);
        Assert.DoesNotContain(report.Findings, f => f.Code == "partition-table-unreadable");
        Assert.Null(report.Boot.Partition);

        var given = FlashInspector.Inspect(dump, new InspectionOptions { Chip = chip });
        Assert.Equal("dump-encrypted", given.Unreadable?.Code);
        Assert.Contains($"bootloader header at {bootloaderAt} nor", given.Unreadable!.Message);
    }

    [Theory]
    [InlineData("esp32", null)]
    [InlineData("esp32c3", null)]
    [InlineData("esp32c3", "esp32c3")]
    public void AnotherBoardsKeyIsSaidNotToDecryptTheDump(string chipName, string? given)
    {
        var chip = EspChip.Parse(chipName);
        var (_, dump) = Boards.SeedFailure(chip);
        var otherBoard = Boards.FlashKey(chip).Select(b => (byte)(b ^ 0x5A)).ToArray();

        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = otherBoard, Chip = given is null ? null : chip });

        Assert.Equal("key-does-not-decrypt", report.Unreadable?.Code);
        Assert.StartsWith("this key does not decrypt this dump", report.Unreadable!.Message);
        Assert.DoesNotContain(report.Findings, f => f.Code is "flash-not-encrypted" or "partition-table-unreadable");
    }

    [Fact]
    public void TheRightKeyWithAWrongTableOffsetIsNotCalledTheWrongKey()
    {
        var chip = EspChip.Esp32C3;
        var (_, dump) = Boards.SeedFailure(chip);
        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = Boards.FlashKey(chip), PartitionTableOffset = 0xE000 });
        Assert.Null(report.Unreadable);
        Assert.Contains(report.Findings, f => f.Code == "partition-table-unreadable");
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x00)]
    public void BlankFlashIsNotMistakenForCiphertext(byte fill)
    {
        var dump = new byte[0x20000];
        dump.AsSpan().Fill(fill);
        var report = FlashInspector.Inspect(dump, new InspectionOptions());
        Assert.Null(report.Unreadable);
        Assert.DoesNotContain(report.Findings, f => f.Code == "dump-encrypted");
        Assert.Null(report.Boot.Partition);
    }

    [Fact]
    public void APlaintextBoardWithAKeyIsReadAsPlaintext()
    {
        var chip = EspChip.Esp32;
        var device = Provisioning.Provisioner.Create(Boards.Spec(chip) with { FlashEncryptionKey = null });
        device.PowerOn();
        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) });
        Assert.Null(report.Unreadable);
        Assert.Contains(report.Findings, f => f.Code == "flash-not-encrypted");
        Assert.Equal("ota_0", report.Boot.Partition);
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

    /// <summary>v2.0.0 in ota_1, booted once; then <paramref name="after"/> decides its fate.</summary>
    private static VirtualEsp32 UpdatedAndBooted(EspChip chip, Action<VirtualEsp32> after)
    {
        var device = Boards.Secured(chip);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0")).Ok);
        Assert.Equal("ota_1", device.Restart().Partition!.Name);
        after(device);
        return device;
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void ARolledBackSlotIsShownAsSkippedNotJustValid(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = UpdatedAndBooted(chip, d => Assert.Throws<DeviceRestartedException>(() => d.Ota!.MarkAppInvalidRollbackAndReboot()));

        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) });

        var rejected = report.Slots.Single(s => s.Name == "ota_1");
        Assert.Equal("valid", rejected.Status); // the image check alone
        Assert.True(rejected.RolledBack);
        Assert.Equal("INVALID", rejected.OtadataState);
        Assert.Equal("rolled back (otadata INVALID: the app rejected it): the bootloader skips it", rejected.Verdict);
        var running = report.Slots.Single(s => s.Name == "ota_0");
        Assert.False(running.RolledBack);
        Assert.Equal("VALID", running.OtadataState);
        Assert.Null(running.Verdict);
        Assert.Equal("ota_0", report.Boot.Partition);
        Assert.Equal(report.Boot.Partition, device.Restart().Partition!.Name);
    }

    [Fact]
    public void AnUnconfirmedSlotIsShownAsAbortedByTheNextBoot()
    {
        var chip = EspChip.Esp32C3;
        var device = UpdatedAndBooted(chip, _ => { }); // PENDING_VERIFY: the app never confirmed itself

        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) });

        var pending = report.Slots.Single(s => s.Name == "ota_1");
        Assert.True(pending.RolledBack);
        Assert.Equal("ABORTED", pending.OtadataState);
        Assert.Equal("never confirmed (otadata PENDING_VERIFY): this boot marks it ABORTED and skips it", pending.Verdict);
        Assert.Equal("ota_0", report.Boot.Partition);

        device.Restart(); // that boot happens: now ABORTED on flash
        var aborted = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) }).Slots.Single(s => s.Name == "ota_1");
        Assert.Equal("rolled back (otadata ABORTED: it never confirmed itself): the bootloader skips it", aborted.Verdict);
    }

    [Fact]
    public void ARolledBackSlotThatBootsAsTheFallbackSaysSo()
    {
        var chip = EspChip.Esp32;
        var device = UpdatedAndBooted(chip, d => Assert.Throws<DeviceRestartedException>(() => d.Ota!.MarkAppInvalidRollbackAndReboot()));
        device.Partitions!.EraseRange(device.Partitions.FindByLabel("ota_0")!, 0, 0x10000); // the slot otadata selects no longer loads

        var report = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions { Key = Boards.FlashKey(chip) });

        Assert.Equal("ota_1", report.Boot.Partition);
        Assert.Equal(report.Boot.Partition, device.Restart().Partition!.Name);
        var fallback = report.Slots.Single(s => s.Name == "ota_1");
        Assert.True(fallback.RolledBack);
        Assert.Equal("rolled back (otadata INVALID), booted only as a fallback: the slot otadata selects does not load", fallback.Verdict);
    }

    [Theory]
    [InlineData(0x00, 0x10, "app", "ota_0")]
    [InlineData(0x01, 0x00, "data", "ota")]
    [InlineData(0x01, 0x01, "data", "phy")]
    [InlineData(0x01, 0x02, "data", "nvs")]
    [InlineData(0x01, 0x84, "data", "0x84 nanoFramework deploy")]
    [InlineData(0x40, 0x4B, "0x40", "0x4B nfota_key")]
    [InlineData(0x41, 0x05, "0x41", "0x05")]
    public void PartitionKindsAreNamedAsTablesWriteThem(int type, int subtype, string typeText, string subtypeText)
    {
        Assert.Equal(typeText, PartitionKindNames.Type(type));
        Assert.Equal(subtypeText, PartitionKindNames.Subtype(type, subtype));
    }

    [Fact]
    public void TheReportKeepsPartitionKindsNumericAndNamesNfKinds()
    {
        var chip = EspChip.Esp32C3;
        var device = Provisioning.Provisioner.Create(Boards.Spec(chip) with { PartitionCsv = Provisioning.DeviceSpec.PairedCsv, FlashEncryptionKey = null });
        device.PowerOn();
        var entries = FlashInspector.Inspect(device.Flash.Dump(), new InspectionOptions()).PartitionTable.Entries;

        var deploy = entries.Single(e => e.Name == "deploy_0");
        Assert.Equal((1, 0x84, "nanoFramework deploy"), (deploy.TypeId, deploy.SubtypeId, deploy.KnownAs));
        var key = entries.Single(e => e.Name == "nfota_key");
        Assert.Equal((0x40, 0x4B, "nfota_key"), (key.TypeId, key.SubtypeId, key.KnownAs));
        var slot = entries.Single(e => e.Name == "ota_1");
        Assert.Equal((0, 0x11, null), (slot.TypeId, slot.SubtypeId, slot.KnownAs));
        Assert.Equal(("data", "132"), (deploy.Type, deploy.Subtype)); // gen_esp32part's words, as before
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFreshEncryptedBoardHasEmptyOtadataNotCorruptOtadata(bool encryptOnFirstBoot)
    {
        // Flash encryption encrypts the whole otadata partition, so its unused sectors hold
        // ciphertext that decrypts to 0xFF: the bootloader reads them as empty.
        var chip = EspChip.Esp32C3;
        var device = Provisioning.Provisioner.Create(Boards.Spec(chip) with { EncryptOnFirstBoot = encryptOnFirstBoot });
        Assert.True(device.PowerOn().Booted);
        var dump = device.Flash.Dump();
        var otadataAt = 0xd000;
        Assert.True(dump.AsSpan(otadataAt, 32).ContainsAnyExcept((byte)0xFF)); // ciphertext, not erased flash

        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = Boards.FlashKey(chip) });

        Assert.DoesNotContain(report.Findings, f => f.Code == "otadata-corrupt");
        // First boot without a factory app: the bootloader wrote seq 1 into sector 0; sector 1 is unused.
        Assert.Equal("valid", report.Otadata!.Sectors[0].Verdict);
        var unused = report.Otadata.Sectors[1];
        Assert.True(unused.AsBootloaderSees.Erased);
        Assert.False(unused.Raw.Erased);
        Assert.Equal("empty (encrypted blank sector)", unused.Verdict);
        Assert.Equal("ota_0", report.Boot.Partition);
    }

    [Theory]
    [InlineData(36 * 1024)]
    [InlineData(64 * 1024)]
    [InlineData(1024 * 1024)]
    [InlineData(3 * 1024 * 1024)]
    public void ATruncatedDumpIsReportedNotExplainedAsAFallback(int length)
    {
        var chip = EspChip.Esp32;
        var device = Boards.Secured(chip);
        OtaScript.Update(device, Boards.Image(chip, "2.0.0"));
        var dump = device.Flash.Dump()[..length];

        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = Boards.FlashKey(chip) });

        var finding = Assert.Single(report.Findings, f => f.Code == "dump-truncated");
        Assert.Contains($"{length} bytes", finding.Message);
        Assert.Contains("0x3F0000", finding.Message); // where the last partition (ota_1) ends
        Assert.Null(report.Boot.Partition);
        Assert.Contains("shorter than the partition table", report.Boot.Reason);
        Assert.DoesNotContain(report.Findings, f => f.Code is "no-bootable-app" or "image-invalid");
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0xFFFFF000u)]
    [InlineData(0x7FFFFFFFu)]
    public void ATableOffsetBeyondTheDumpIsReportedNotAnOverflow(uint offset)
    {
        var (_, dump) = Boards.SeedFailure(EspChip.Esp32);
        var report = FlashInspector.Inspect(dump, new InspectionOptions { Key = Boards.FlashKey(EspChip.Esp32), PartitionTableOffset = offset });
        Assert.Contains(report.Findings, f => f.Code == "dump-too-small");
        Assert.False(report.PartitionTable.Valid);
    }
}
