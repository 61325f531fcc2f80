using NfOta.Esp32.Chips;

namespace NfOta.Cli.Demo;

/// <summary>
/// The 8 MB partition table nf-ota ships for a chip (native/nf-interpreter/partitions, written into
/// nf-interpreter by apply.sh), embedded in nfota: the demo's board is laid out as a user's board
/// flashed with our firmware build is, deploy_0/deploy_1 paired with ota_0/ota_1, the table at 0xE000.
/// </summary>
public static class ShippedTable
{
    /// <summary>CONFIG_PARTITION_TABLE_OFFSET of nf-ota's firmware build (secure boot v2 and flash encryption need the room).</summary>
    public const uint Offset = 0xE000;

    public const int FlashSize = 8 << 20;

    public static string FileName => "partitions_nanoclr_8mb.csv";

    public static string Csv(EspChip chip)
    {
        var name = $"partitions/{chip.Name}/{FileName}";
        using var stream = typeof(ShippedTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"nfota was built without nf-ota's table {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
