using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Tests;

namespace NfOta.Emulator.Tests;

/// <summary>Each rule of ESP-IDF's bootloader slot choice (bootloader_utility.c), on secured boards.</summary>
public class BootloaderTests
{
    private static readonly EspChip Chip = EspChip.Esp32C3;

    private const string WithFactory = """
        nvs,      data, nvs,     0x9000,   0x4000
        otadata,  data, ota,     0xd000,   0x2000
        phy_init, data, phy,     0xf000,   0x1000
        factory,  app,  factory, 0x10000,  0x100000
        ota_0,    app,  ota_0,   0x110000, 0x100000
        ota_1,    app,  ota_1,   0x210000, 0x100000
        """;

    [Fact]
    public void BlankOtadataWithoutFactoryBootsOta0AndRecordsIt()
    {
        var device = Provisioner.Create(Boards.Spec(Chip));
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.True(boot.OtadataBefore!.First.IsErased && boot.OtadataBefore.Second.IsErased);
        // set_actual_ota_seq: otadata[0] = seq 1, VALID
        Assert.Equal(OtaSelectEntry.Create(1, OtaImageState.Valid), boot.OtadataAfter!.First);
    }

    [Fact]
    public void BlankOtadataWithFactoryBootsFactory()
    {
        var device = Provisioner.Create(Boards.Spec(Chip) with
        {
            PartitionCsv = WithFactory,
            Images = new Dictionary<string, byte[]> { ["factory"] = Boards.Image(Chip, "0.9.0"), ["ota_0"] = Boards.Image(Chip, "1.0.0") },
        });
        var boot = device.PowerOn();
        Assert.Equal("factory", boot.Partition!.Name);
        Assert.True(boot.OtadataAfter!.First.IsErased);
    }

    [Fact]
    public void HighestValidSeqWins()
    {
        var device = WithOtadata(OtaSelectEntry.Create(3, OtaImageState.Valid), OtaSelectEntry.Create(4, OtaImageState.Valid));
        Assert.Equal("ota_1", device.PowerOn().Partition!.Name); // (4 - 1) % 2 = 1
        device = WithOtadata(OtaSelectEntry.Create(5, OtaImageState.Valid), OtaSelectEntry.Create(4, OtaImageState.Valid));
        Assert.Equal("ota_0", device.PowerOn().Partition!.Name);
    }

    [Fact]
    public void EntryWithBadCrcIsIgnored()
    {
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.Valid) with { Crc = 0x12345678 });
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Contains(boot.Log, l => l.Contains("CRC BAD"));
    }

    [Fact]
    public void NewBecomesPendingVerifyAndPendingVerifyBecomesAborted()
    {
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.New));
        var first = device.PowerOn();
        Assert.Equal("ota_1", first.Partition!.Name);
        Assert.Equal(OtaImageState.PendingVerify, first.OtadataAfter!.Second.State);

        // The app did not confirm: the next boot gives up on it and falls back.
        var second = device.Restart();
        Assert.Equal("ota_0", second.Partition!.Name);
        Assert.Equal(OtaImageState.Aborted, second.OtadataAfter!.Second.State);
        Assert.Contains(second.Log, l => l.Contains("PENDING_VERIFY") && l.Contains("ABORTED"));
    }

    [Fact]
    public void CorruptSelectedImageFallsBackToTheLowerSlot()
    {
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.Valid));
        CorruptPartition(device, "ota_1");
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.StartsWith("fell back to ota_0 because ota_1", boot.Reason);
    }

    [Fact]
    public void CorruptLowerSlotFallsForwardToTheNextSlot()
    {
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Erased);
        CorruptPartition(device, "ota_0");
        var boot = device.PowerOn();
        Assert.Equal("ota_1", boot.Partition!.Name);
    }

    [Fact]
    public void NothingBootableIsReported()
    {
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Erased);
        CorruptPartition(device, "ota_0");
        CorruptPartition(device, "ota_1");
        var boot = device.PowerOn();
        Assert.False(boot.Booted);
        Assert.False(device.IsRunning);
        Assert.Contains("no partition holds a bootable app", boot.Reason);
    }

    [Fact]
    public void SecureBootRefusesAnImageSignedByAnotherKey()
    {
        var spec = Boards.Spec(Chip) with
        {
            Images = new Dictionary<string, byte[]>
            {
                ["ota_0"] = Boards.Image(Chip, "1.0.0"),
                ["ota_1"] = Boards.Image(Chip, "6.6.6", key: Boards.OtherKey),
            },
        };
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.Valid), spec);
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Contains("not in eFuse", boot.Reason);
    }

    [Fact]
    public void SecureBootRefusesAnUnsignedImage()
    {
        var spec = Boards.Spec(Chip) with
        {
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(Chip, "1.0.0"), ["ota_1"] = TestImages.Build(Chip, "6.6.6") },
        };
        var device = WithOtadata(OtaSelectEntry.Create(1, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.Valid), spec);
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Contains("signature", boot.Reason);
    }

    [Fact]
    public void AntiRollbackSkipsOldSecureVersionsAndBurnsConfirmedOnes()
    {
        var config = new DeviceConfig { AntiRollback = true };
        var spec = Boards.Spec(Chip, config) with
        {
            SecureVersion = 2,
            Images = new Dictionary<string, byte[]>
            {
                ["ota_0"] = Boards.Image(Chip, "1.0.0", secureVersion: 1),
                ["ota_1"] = Boards.Image(Chip, "3.0.0", secureVersion: 3),
            },
        };
        // otadata selects ota_0 (seq 3 > 2), but its secure_version 1 is below the eFuse's 2.
        var device = WithOtadata(OtaSelectEntry.Create(3, OtaImageState.Valid), OtaSelectEntry.Create(2, OtaImageState.Valid), spec);
        var boot = device.PowerOn();
        Assert.Equal("ota_1", boot.Partition!.Name);
        Assert.Equal(3u, device.EFuses.SecureVersion); // ota_1 is VALID, so its version is burnt
        Assert.Contains(boot.Log, l => l.Contains("secure_version"));
    }

    [Fact]
    public void ReportExplainsTheChoice()
    {
        var device = WithOtadata(OtaSelectEntry.Create(7, OtaImageState.Valid), OtaSelectEntry.Create(6, OtaImageState.Valid));
        var boot = device.PowerOn();
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.Equal("otadata[0] is active (seq 7, VALID): selects ota_0", boot.Reason);
    }

    private static VirtualEsp32 WithOtadata(OtaSelectEntry first, OtaSelectEntry second, DeviceSpec? spec = null)
    {
        spec ??= Boards.Spec(Chip) with
        {
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(Chip, "1.0.0"), ["ota_1"] = Boards.Image(Chip, "2.0.0") },
        };
        var device = Provisioner.Create(spec);
        // Write otadata the way ESP-IDF does: through the encryption engine.
        var otadata = PartitionTableCsv.Parse(spec.PartitionCsv).OtaData!;
        foreach (var (entry, i) in new[] { (first, 0), (second, 1) })
        {
            var sector = otadata.Offset + (uint)(i * 0x1000);
            device.Driver.EraseRegion(sector, 0x1000);
            if (!entry.IsErased) device.Driver.WriteEncrypted(sector, entry.ToBytes());
        }
        return device;
    }

    private static void CorruptPartition(VirtualEsp32 device, string name)
    {
        var partition = PartitionTableCsv.Parse(DeviceSpec.TwoSlotCsv).FindByName(name)!;
        var block = new byte[16];
        device.Flash.Read(partition.Offset + 0x2000, block);
        block[3] ^= 0xFF; // flipping ciphertext garbles a whole decrypted block
        device.Driver.EraseRegion(partition.Offset + 0x2000, 0x1000);
        device.Flash.Load(partition.Offset + 0x2000, block);
    }
}
