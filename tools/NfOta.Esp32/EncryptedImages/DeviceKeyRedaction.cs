using NfOta.Esp32.Errors;
using NfOta.Esp32.Partitions;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// Finds the board's device private key in decrypted flash and blanks it (0xFF, as erased flash),
/// so decrypting a whole dump does not leave that key in a plain file. The key is where the
/// partition table's nfota_key entry (type 0x40, subtype 0x4B) says, and, for a dump without the
/// table, in any 4 KiB sector that starts with the partition's magic.
/// </summary>
public static class DeviceKeyRedaction
{
    /// <summary>A blanked range, as flash addresses.</summary>
    public readonly record struct Range(uint Address, int Length);

    /// <summary>The ranges of <paramref name="plaintext"/> (read at <paramref name="address"/>) that hold a device key.</summary>
    public static IReadOnlyList<Range> Find(ReadOnlySpan<byte> plaintext, uint address, uint tableOffset = PartitionTable.DefaultOffset)
    {
        var found = new List<Range>();
        foreach (var entry in KeyPartitions(plaintext, address, tableOffset))
        {
            var start = Math.Max(entry.Offset, address);
            var end = Math.Min((ulong)entry.End, address + (ulong)plaintext.Length);
            if (end > start) found.Add(new Range(start, (int)(end - start)));
        }
        var firstSector = (address + PartitionTable.SectorSize - 1) / PartitionTable.SectorSize * PartitionTable.SectorSize;
        for (var sector = (ulong)firstSector; sector < address + (ulong)plaintext.Length; sector += PartitionTable.SectorSize)
        {
            var at = (uint)sector;
            if (!found.Any(r => at >= r.Address && at < r.Address + r.Length) && DeviceKeyPartition.StartsWithMagic(plaintext[(int)(at - address)..]))
            {
                found.Add(new Range(at, (int)Math.Min(DeviceKeyPartition.Size, address + (ulong)plaintext.Length - at)));
            }
        }
        return found;
    }

    /// <summary>
    /// The part of a 4 KiB sector that <paramref name="plaintext"/> covers without its start, when the
    /// data holds no partition table to say what that sector is: its first bytes (where a device key
    /// partition has its NFOTADK1 magic) are not in the data, so nothing shows whether it is the key.
    /// Null when the data starts on a sector, when its table is readable, or when the covered part is
    /// all 0xFF (a key partition's bytes past its key and hash, or erased flash: no key material).
    /// </summary>
    public static Range? UnknownLeadingSector(ReadOnlySpan<byte> plaintext, uint address, uint tableOffset = PartitionTable.DefaultOffset)
    {
        if (address % PartitionTable.SectorSize == 0 || plaintext.IsEmpty || Table(plaintext, address, tableOffset) is not null)
        {
            return null;
        }
        var nextSector = (ulong)address / PartitionTable.SectorSize * PartitionTable.SectorSize + PartitionTable.SectorSize;
        var length = (int)Math.Min(nextSector - address, (ulong)plaintext.Length);
        return plaintext[..length].ContainsAnyExcept((byte)0xFF) ? new Range(address, length) : null;
    }

    /// <summary>Fills every range <see cref="Find"/> returns with 0xFF; returns them.</summary>
    public static IReadOnlyList<Range> Blank(Span<byte> plaintext, uint address, uint tableOffset = PartitionTable.DefaultOffset)
    {
        var ranges = Find(plaintext, address, tableOffset);
        foreach (var range in ranges)
        {
            plaintext.Slice((int)(range.Address - address), range.Length).Fill(0xFF);
        }
        return ranges;
    }

    /// <summary>The table's device key entries, when the decrypted data holds a readable table.</summary>
    private static IEnumerable<PartitionEntry> KeyPartitions(ReadOnlySpan<byte> plaintext, uint address, uint tableOffset) =>
        Table(plaintext, address, tableOffset)?.Where(e => (e.Type == DeviceKeyPartition.Type && e.Subtype == DeviceKeyPartition.Subtype) || e.Name == DeviceKeyPartition.Label).ToList()
        ?? []; // no table: the magic scan still finds a key sector

    /// <summary>The partition table, when the decrypted data holds it whole and it parses; else null.</summary>
    private static IReadOnlyList<PartitionEntry>? Table(ReadOnlySpan<byte> plaintext, uint address, uint tableOffset)
    {
        if (tableOffset < address || tableOffset + (ulong)PartitionTableBinary.MaxLength > address + (ulong)plaintext.Length)
        {
            return null;
        }
        try
        {
            return PartitionTableBinary.Parse(plaintext.Slice((int)(tableOffset - address), PartitionTableBinary.MaxLength)).ToList();
        }
        catch (Esp32FormatException)
        {
            return null;
        }
    }
}
