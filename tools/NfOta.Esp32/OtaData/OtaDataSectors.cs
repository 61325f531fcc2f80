using NfOta.Esp32.Errors;

namespace NfOta.Esp32.OtaData;

/// <summary>
/// The otadata partition: two flash sectors, each holding one <see cref="OtaSelectEntry"/> at its
/// start. ESP-IDF rewrites the older sector on every change, so a power cut can spoil at most one.
/// </summary>
public sealed record OtaDataSectors(OtaSelectEntry First, OtaSelectEntry Second)
{
    public const int SectorSize = 0x1000;
    public const int PartitionSize = 2 * SectorSize;

    public OtaSelectEntry this[int index] => index switch
    {
        0 => First,
        1 => Second,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "otadata has entries 0 and 1"),
    };

    public static OtaDataSectors Erased { get; } = new(OtaSelectEntry.Erased, OtaSelectEntry.Erased);

    /// <summary>Reads both entries from the (decrypted) contents of the otadata partition.</summary>
    public static OtaDataSectors Parse(ReadOnlySpan<byte> partition)
    {
        if (partition.Length < SectorSize + OtaSelectEntry.Size)
        {
            throw new Esp32FormatException(FormatError.OtaDataLength,
                $"otadata holds two 4 KiB sectors; got {partition.Length} bytes");
        }
        return new OtaDataSectors(OtaSelectEntry.Parse(partition), OtaSelectEntry.Parse(partition[SectorSize..]));
    }

    public OtaDataSectors With(int index, OtaSelectEntry entry) =>
        index == 0 ? this with { First = entry } : this with { Second = entry };

    /// <summary>
    /// <c>bootloader_common_get_active_otadata</c>: of the valid entries, the one with the larger
    /// seq (entry 0 on a tie); -1 when neither is valid.
    /// </summary>
    public int ActiveIndex => Select(First.IsValid, Second.IsValid, max: true);

    /// <summary>
    /// <c>bootloader_common_select_otadata</c>: among the entries flagged in <paramref name="use0"/>/
    /// <paramref name="use1"/>, the one with the larger (or smaller) seq; entry 0 wins ties.
    /// </summary>
    public int Select(bool use0, bool use1, bool max)
    {
        if (use0 && use1)
        {
            var chosen = max ? Math.Max(First.Seq, Second.Seq) : Math.Min(First.Seq, Second.Seq);
            return chosen == First.Seq ? 0 : 1;
        }
        return use0 ? 0 : use1 ? 1 : -1;
    }

    /// <summary>
    /// The seq esp_ota_set_boot_partition writes to make the bootloader pick ota slot
    /// <paramref name="slot"/> (esp_ota_ops.c; v6.0 names it <c>compute_ota_seq_for_target_slot</c>),
    /// or null where ESP-IDF never returns.
    /// </summary>
    /// <remarks>
    /// ESP-IDF tries <c>base + i * count</c> for i = 0, 1, ... in 32-bit arithmetic until it is not
    /// below <paramref name="currentSeq"/>; near 0xFFFFFFFF the candidates wrap past zero and go on.
    /// This computes where that loop stops, wrap included, without running its billions of steps:
    /// each pass climbs to the last candidate below 2^32, then wraps. When the slot count divides
    /// 2^32 (1, 2, 4, 8, 16) every pass repeats the first, so no candidate ever reaches the seq and the
    /// loop never ends. A result of 0xFFFFFFFF is what ESP-IDF writes, and reads back as an empty entry.
    /// </remarks>
    public static uint? SeqForSlot(uint currentSeq, int slot, int slotCount)
    {
        if (slotCount <= 0) return 0;
        var count = (ulong)slotCount;
        var candidate = (ulong)((slot + 1) % slotCount);
        for (var pass = 0; pass <= slotCount; pass++)
        {
            if (candidate >= currentSeq) return (uint)candidate;
            var steps = (currentSeq - candidate + count - 1) / count;
            if (candidate + steps * count <= uint.MaxValue) return (uint)(candidate + steps * count);
            var lastBelowWrap = candidate + (uint.MaxValue - candidate) / count * count;
            candidate = lastBelowWrap + count - (1UL << 32);
        }
        return null;
    }
}
