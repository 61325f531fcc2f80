using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Tests;

/// <summary>
/// The OTA partition tables native/nf-interpreter/apply.sh writes into nf-interpreter: each parses
/// under ESP-IDF v5's rules at CONFIG_PARTITION_TABLE_OFFSET 0xE000 (also checked with ESP-IDF's own
/// gen_esp32part.py, see native/README.md), keeps nanoFramework's partitions, and a board with flash
/// encryption and secure boot v2 boots, updates and rolls back on it.
/// </summary>
public sealed class ShippedPartitionTableTests
{
    private const uint TableOffset = 0xE000;

    /// <summary>nanoFramework's factory partition size per series (nf-interpreter main a3e8139a): the OTA slots must hold it.</summary>
    private static readonly Dictionary<string, uint> FactorySize = new()
    {
        ["esp32"] = 0x1D0000, ["esp32c3"] = 0x1A0000, ["esp32s2"] = 0x1A0000,
        ["esp32s3"] = 0x1A0000, ["esp32c6"] = 0x240000, ["esp32h2"] = 0x1B0000,
    };

    private static string TablesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nf.proj"))) return Path.Combine(dir.FullName, "native", "nf-interpreter", "partitions");
            }
            throw new InvalidOperationException("nf.proj not found above " + AppContext.BaseDirectory);
        }
    }

    private static List<string> TableFiles() =>
        Directory.GetFiles(TablesFolder, "*.csv", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(TablesFolder, f)).Order().ToList();

    public static TheoryData<string> Tables() => new(TableFiles());

    private static (string Series, int Megabytes) Describe(string table) =>
        (Path.GetDirectoryName(table)!, int.Parse(Path.GetFileName(table).Split('_')[2].TrimEnd("mb.csv".ToCharArray())));

    [Fact]
    public void EverySeriesHasItsTables()
    {
        var tables = TableFiles();
        Assert.Equal(15, tables.Count);
        Assert.All(FactorySize.Keys, series => Assert.Contains(tables, t => t.StartsWith(series + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void KeepsNanoFrameworksPartitionsAndFitsTheFlash(string file)
    {
        var (series, megabytes) = Describe(file);
        var table = PartitionTableCsv.Parse(File.ReadAllText(Path.Combine(TablesFolder, file)), TableOffset);
        PartitionTableValidator.Validate(table, TableOffset);

        var slots = table.Where(e => e.IsOtaApp).OrderBy(e => e.OtaSlot).ToList();
        Assert.Equal(new[] { 0, 1 }, slots.Select(s => s.OtaSlot).ToArray());
        Assert.All(slots, s => Assert.Equal(FactorySize[series], s.Size));
        Assert.DoesNotContain(table, e => e.IsFactory);
        Assert.Single(table, e => e.Type == PartitionKinds.Data && e.Subtype == PartitionKinds.DataOta);
        Assert.Single(table, e => e.Name == "nvs" && e.Size >= 0x6000);
        var deploys = table.Where(e => e.Type == PartitionKinds.Data && e.Subtype == 0x84).ToList();
        // From 8 MB each slot has its own app (deploy_N with ota_N, as nf_ota_deploy_partition pairs them); 4 MB keeps one shared.
        Assert.Equal(megabytes >= 8 ? ["deploy_0", "deploy_1"] : ["deploy"], deploys.Select(d => d.Name));
        Assert.All(deploys, deploy =>
        {
            Assert.True(deploy.Encrypted, $"{deploy.Name} must be flagged encrypted: nanoCLR reads it memory-mapped through decryption");
            Assert.True(deploy.Size >= 0x20000, $"{deploy.Name} is {deploy.Size / 1024} KiB");
        });
        Assert.Single(table, e => e.Name == "config" && e.Subtype == 0x83);
        Assert.True(table.Max(e => e.End) <= (uint)megabytes << 20);
        Assert.True(table.Min(e => e.Offset) >= TableOffset + 0x1000);
    }

    [Theory]
    [InlineData("esp32/partitions_nanoclr_8mb.csv", "esp32")]
    [InlineData("esp32c3/partitions_nanoclr_4mb.csv", "esp32c3")]
    [InlineData("esp32s3/partitions_nanoclr_16mb.csv", "esp32s3")]
    public void ABoardWithFlashEncryptionAndSecureBootUpdatesAndRollsBackOnIt(string file, string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var (_, megabytes) = Describe(file);
        var board = Provisioner.Create(Boards.Spec(chip, new DeviceConfig { PartitionTableOffset = TableOffset }) with
        {
            FlashSize = megabytes << 20,
            PartitionCsv = File.ReadAllText(Path.Combine(TablesFolder, file)),
        });
        var boot = board.PowerOn();
        Assert.True(boot.Booted, boot.ToString());
        Assert.Equal("ota_0", boot.Partition!.Name);
        Assert.True(board.EFuses.FlashEncryptionEnabled);

        Assert.True(OtaScript.Update(board, Boards.Image(chip, "2.0.0")).Ok);
        Assert.Equal("ota_1", board.Restart().Partition!.Name);
        Assert.Equal("2.0.0", board.RunningVersion());
        Assert.Equal(EspErr.ESP_OK, board.Ota!.GetStatePartition(board.RunningPartition, out var state));
        Assert.Equal(OtaImageState.PendingVerify, state);

        var rollback = Assert.Throws<DeviceRestartedException>(() => board.Ota.MarkAppInvalidRollbackAndReboot());
        Assert.Equal("ota_0", rollback.Boot.Partition!.Name);
        Assert.Equal("1.0.0", board.RunningVersion());
    }
}
