using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Partitions;

/// <summary>
/// The binary form ESP-IDF flashes at 0x8000: 32-byte entries (magic AA 50), an MD5 entry
/// (EB EB, 14 × FF, MD5 of the entries), then 0xFF up to 0xC00 bytes. Parsing is strict and
/// never throws anything but <see cref="Esp32FormatException"/>, because flash dumps are untrusted.
/// </summary>
public static class PartitionTableBinary
{
    public const int EntrySize = 32;

    /// <summary>3 KiB of entries leaves the last 1 KiB of the sector for a signature.</summary>
    public const int MaxLength = 0xC00;

    private const ushort EntryMagic = 0x50AA;
    private const ushort Md5Magic = 0xEBEB;

    public static PartitionTable Parse(ReadOnlySpan<byte> data, bool requireMd5 = false)
    {
        var entries = new List<PartitionEntry>();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var sawMd5 = false;
        for (var offset = 0; offset + EntrySize <= data.Length; offset += EntrySize)
        {
            var raw = data.Slice(offset, EntrySize);
            if (!raw.ContainsAnyExcept((byte)0xFF))
            {
                if (requireMd5 && !sawMd5)
                {
                    throw new Esp32FormatException(FormatError.PartitionMd5Mismatch,
                        "partition table has no MD5 entry, but ESP-IDF (CONFIG_PARTITION_TABLE_MD5) requires one");
                }
                return new PartitionTable(entries);
            }
            var magic = BinaryPrimitives.ReadUInt16LittleEndian(raw);
            if (magic == Md5Magic)
            {
                var expected = md5.GetCurrentHash();
                if (!raw[16..].SequenceEqual(expected))
                {
                    throw new Esp32FormatException(FormatError.PartitionMd5Mismatch,
                        $"partition table MD5 does not match: computed {Convert.ToHexStringLower(expected)}, stored {Convert.ToHexStringLower(raw[16..])}");
                }
                sawMd5 = true;
                continue;
            }
            if (magic != EntryMagic)
            {
                throw new Esp32FormatException(FormatError.PartitionBadMagic,
                    $"entry {offset / EntrySize} at byte {offset} has magic {raw[0]:X2} {raw[1]:X2}, expected AA 50 (is this a partition table?)");
            }
            md5.AppendData(raw);
            entries.Add(ParseEntry(raw, offset / EntrySize));
        }
        if (data.Length % EntrySize != 0)
        {
            throw new Esp32FormatException(FormatError.PartitionTableLength,
                $"partition table length {data.Length} is not a multiple of {EntrySize} bytes and has no end-of-table marker");
        }
        throw new Esp32FormatException(FormatError.PartitionNoEndMarker,
            "partition table is missing its end-of-table marker (32 bytes of 0xFF)");
    }

    private static PartitionEntry ParseEntry(ReadOnlySpan<byte> raw, int index)
    {
        var label = raw.Slice(12, 16);
        var nul = label.IndexOf((byte)0);
        if (nul >= 0) label = label[..nul];
        string name;
        try
        {
            name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(label);
        }
        catch (DecoderFallbackException)
        {
            throw new Esp32FormatException(FormatError.PartitionNameInvalid,
                $"entry {index} has a label that is not valid UTF-8 ({Convert.ToHexStringLower(label)})");
        }
        return new PartitionEntry(
            name,
            raw[2],
            raw[3],
            BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[28..]));
    }

    /// <summary>The 0xC00-byte image gen_esp32part.py writes: entries, MD5 entry, 0xFF padding.</summary>
    public static byte[] Serialize(PartitionTable table)
    {
        var length = (table.Count + 1) * EntrySize;
        if (length >= MaxLength)
        {
            throw new Esp32FormatException(FormatError.PartitionTableTooLong,
                $"{table.Count} partitions need {length} bytes with the MD5 entry; the table holds less than {MaxLength}");
        }
        var result = new byte[MaxLength];
        result.AsSpan().Fill(0xFF);
        for (var i = 0; i < table.Count; i++) WriteEntry(table[i], result.AsSpan(i * EntrySize, EntrySize));
        var md5Entry = result.AsSpan(table.Count * EntrySize, EntrySize);
        md5Entry[0] = 0xEB;
        md5Entry[1] = 0xEB;
        MD5.HashData(result.AsSpan(0, table.Count * EntrySize), md5Entry[16..]);
        return result;
    }

    private static void WriteEntry(PartitionEntry entry, Span<byte> raw)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(raw, EntryMagic);
        raw[2] = entry.Type;
        raw[3] = entry.Subtype;
        BinaryPrimitives.WriteUInt32LittleEndian(raw[4..], entry.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[8..], entry.Size);
        var label = raw.Slice(12, 16);
        label.Clear();
        var nameBytes = Encoding.UTF8.GetBytes(entry.Name);
        if (nameBytes.Length > label.Length)
        {
            throw new Esp32FormatException(FormatError.PartitionNameInvalid,
                $"partition name '{entry.Name}' is {nameBytes.Length} bytes; the label field holds at most {label.Length}");
        }
        nameBytes.CopyTo(label);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[28..], entry.Flags);
    }
}
