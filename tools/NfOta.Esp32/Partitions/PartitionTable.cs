using System.Collections;

namespace NfOta.Esp32.Partitions;

/// <summary>
/// An ESP-IDF partition table: the entries in table order. Build one from CSV
/// (<see cref="PartitionTableCsv"/>) or from the binary at 0x8000 (<see cref="PartitionTableBinary"/>).
/// </summary>
public sealed class PartitionTable : IReadOnlyList<PartitionEntry>
{
    /// <summary>ESP-IDF's default CONFIG_PARTITION_TABLE_OFFSET.</summary>
    public const uint DefaultOffset = 0x8000;

    /// <summary>The table occupies one flash sector.</summary>
    public const uint SectorSize = 0x1000;

    private readonly PartitionEntry[] _entries;

    public PartitionTable(IEnumerable<PartitionEntry> entries) => _entries = entries.ToArray();

    public int Count => _entries.Length;

    public PartitionEntry this[int index] => _entries[index];

    public IEnumerator<PartitionEntry> GetEnumerator() => ((IEnumerable<PartitionEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public PartitionEntry? FindByName(string name) => _entries.FirstOrDefault(e => e.Name == name);

    /// <summary>First entry of a type and subtype, as <c>esp_partition_find_first</c> returns.</summary>
    public PartitionEntry? Find(byte type, byte subtype) => _entries.FirstOrDefault(e => e.Type == type && e.Subtype == subtype);

    public PartitionEntry? OtaData => Find(PartitionKinds.Data, PartitionKinds.DataOta);

    public PartitionEntry? Factory => Find(PartitionKinds.App, PartitionKinds.AppFactory);

    public PartitionEntry? Test => Find(PartitionKinds.App, PartitionKinds.AppTest);

    /// <summary>
    /// OTA app slots ota_0, ota_1, ... counted the way ESP-IDF counts them: consecutive subtypes
    /// from ota_0 until the first one missing (<c>esp_ota_get_app_partition_count</c>).
    /// </summary>
    public IReadOnlyList<PartitionEntry> OtaSlots
    {
        get
        {
            var slots = new List<PartitionEntry>();
            for (var slot = 0; slot < PartitionKinds.AppOtaCount; slot++)
            {
                var entry = Find(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + slot));
                if (entry is null) break;
                slots.Add(entry);
            }
            return slots;
        }
    }

    /// <summary>The partition holding a flash address, if any.</summary>
    public PartitionEntry? At(uint address) => _entries.FirstOrDefault(e => e.Contains(address));
}
