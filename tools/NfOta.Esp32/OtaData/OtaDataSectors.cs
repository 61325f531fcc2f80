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
    /// The seq that makes the bootloader pick ota slot <paramref name="slot"/> and is not below
    /// <paramref name="currentSeq"/> (esp_ota_ops.c <c>compute_ota_seq_for_target_slot</c>).
    /// </summary>
    /// <remarks>
    /// ESP-IDF searches with a loop over 32-bit values; for a seq within 16 of 0xFFFFFFFF that loop
    /// never ends. This computes the same answer directly and refuses the case where ESP-IDF would hang.
    /// </remarks>
    public static uint SeqForSlot(uint currentSeq, int slot, int slotCount)
    {
        if (slotCount <= 0) return 0;
        var baseSeq = (ulong)((slot + 1) % slotCount);
        var steps = currentSeq <= baseSeq ? 0UL : (currentSeq - baseSeq + (ulong)slotCount - 1) / (ulong)slotCount;
        var seq = baseSeq + steps * (ulong)slotCount;
        if (seq > uint.MaxValue)
        {
            throw new Esp32FormatException(FormatError.OtaSeqOverflow,
                $"otadata seq 0x{currentSeq:X8} is too close to 0xFFFFFFFF to switch slots; ESP-IDF would loop forever here");
        }
        return (uint)seq;
    }
}
