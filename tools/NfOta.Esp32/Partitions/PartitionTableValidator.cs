using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Partitions;

/// <summary>
/// ESP-IDF's partition table rules (gen_esp32part.py <c>verify()</c>, v5.x), plus one of ours:
/// names longer than the 16-byte label are refused instead of being silently cut.
/// </summary>
public static class PartitionTableValidator
{
    public const int MaxNameBytes = 16;

    /// <summary>The smallest NVS partition ESP-IDF v5 accepts unless it is readonly (room for its page rotation).</summary>
    public const uint MinReadWriteNvsSize = 0x3000;

    public static void Validate(PartitionTable table, uint tableOffset = PartitionTable.DefaultOffset)
    {
        if (table.Count == 0)
        {
            throw new Esp32FormatException(FormatError.PartitionTableEmpty, "the partition table has no partitions; a board needs at least an app partition");
        }
        foreach (var entry in table) ValidateEntry(entry);

        var duplicate = table.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new Esp32FormatException(FormatError.PartitionDuplicateName,
                $"partition name '{duplicate.Key}' is used {duplicate.Count()} times; names must be unique");
        }

        var tableEnd = tableOffset + PartitionTable.SectorSize;
        PartitionEntry? previous = null;
        foreach (var entry in table.OrderBy(e => e.Offset))
        {
            if (entry.Offset < tableEnd && !IsPrimaryBootloaderOrTable(entry))
            {
                throw new Esp32FormatException(FormatError.PartitionOverlap,
                    $"partition '{entry.Name}' at 0x{entry.Offset:X} starts below 0x{tableEnd:X}, inside the bootloader or the partition table");
            }
            if (previous is not null && entry.Offset < previous.End)
            {
                throw new Esp32FormatException(FormatError.PartitionOverlap,
                    $"partition '{entry.Name}' at 0x{entry.Offset:X} overlaps '{previous.Name}' (0x{previous.Offset:X}-0x{previous.End - 1:X})");
            }
            previous = entry;
        }

        CheckSingle(table, PartitionKinds.DataOta, "otadata", "ota");
        CheckSingle(table, PartitionKinds.DataTeeOta, "TEE otadata", "tee_ota");
    }

    private static void ValidateEntry(PartitionEntry entry)
    {
        var nameBytes = Encoding.UTF8.GetByteCount(entry.Name);
        if (nameBytes > MaxNameBytes)
        {
            throw new Esp32FormatException(FormatError.PartitionNameInvalid,
                $"partition name '{entry.Name}' is {nameBytes} bytes; the label field holds at most {MaxNameBytes}");
        }
        if (entry.Name.Contains('\0', StringComparison.Ordinal))
        {
            throw new Esp32FormatException(FormatError.PartitionNameInvalid, $"partition name '{entry.Name}' contains a NUL character");
        }

        var align = PartitionKinds.OffsetAlignment(entry.Type);
        if (entry.Offset % align != 0)
        {
            throw new Esp32FormatException(FormatError.PartitionMisaligned,
                $"partition '{entry.Name}' offset 0x{entry.Offset:X} is not aligned to 0x{align:X}" +
                (entry.IsApp ? " (app partitions start on a 64 KiB MMU page)" : ""));
        }
        if (entry.IsApp && entry.Size % 0x1000 != 0)
        {
            throw new Esp32FormatException(FormatError.PartitionMisaligned,
                $"app partition '{entry.Name}' size 0x{entry.Size:X} is not a multiple of 0x1000 (one flash sector)");
        }
        if (entry.Size == 0)
        {
            throw new Esp32FormatException(FormatError.PartitionMisaligned, $"partition '{entry.Name}' has size 0");
        }
        if ((ulong)entry.Offset + entry.Size > 0x1_0000_0000UL)
        {
            throw new Esp32FormatException(FormatError.PartitionOverlap,
                $"partition '{entry.Name}' at 0x{entry.Offset:X} with size 0x{entry.Size:X} runs past the 4 GiB address space");
        }
        if (entry.Type == PartitionKinds.Data && entry.Subtype == PartitionKinds.DataNvs && entry.Size < MinReadWriteNvsSize && !entry.ReadOnly)
        {
            throw new Esp32FormatException(FormatError.PartitionNvsTooSmall,
                $"nvs partition '{entry.Name}' has size 0x{entry.Size:X}; ESP-IDF needs at least 0x{MinReadWriteNvsSize:X} for a read-write nvs (or mark it readonly)");
        }
        if (entry.ReadOnly && entry.Type == PartitionKinds.Data && entry.Subtype is PartitionKinds.DataOta or PartitionKinds.DataCoredump)
        {
            throw new Esp32FormatException(FormatError.PartitionReadonlyNotAllowed,
                $"partition '{entry.Name}' ({entry.SubtypeName}) is always read-write and cannot be readonly");
        }
    }

    private static void CheckSingle(PartitionTable table, byte subtype, string what, string keyword)
    {
        var found = table.Where(e => e.Type == PartitionKinds.Data && e.Subtype == subtype).ToList();
        if (found.Count > 1)
        {
            throw new Esp32FormatException(FormatError.PartitionOtadataDuplicate,
                $"found {found.Count} {what} partitions ({string.Join(", ", found.Select(e => e.Name))}); only one data/{keyword} partition is allowed");
        }
        if (found.Count == 1 && found[0].Size != 0x2000)
        {
            throw new Esp32FormatException(FormatError.PartitionOtadataSize,
                $"{what} partition '{found[0].Name}' has size 0x{found[0].Size:X}; it must be 0x2000 (two 4 KiB sectors)");
        }
    }

    internal static bool IsPrimaryBootloaderOrTable(PartitionEntry e) =>
        e.Type is PartitionKinds.Bootloader or PartitionKinds.PartitionTable && e.Subtype == 0;
}
