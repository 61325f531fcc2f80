using System.Globalization;
using System.Text;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Partitions;

/// <summary>
/// The CSV form of ESP-IDF partition tables, read and written the way gen_esp32part.py does:
/// <c>Name, Type, SubType, Offset, Size, Flags</c>; <c>#</c> comments; empty offsets filled in
/// after the previous partition (64 KiB aligned for apps, 4 KiB otherwise); sizes with K/M
/// suffixes; flags <c>encrypted</c> and <c>readonly</c> joined by <c>:</c>.
/// </summary>
public static class PartitionTableCsv
{
    private static readonly IReadOnlyList<KeyValuePair<string, uint>> FlagNames =
    [
        new("encrypted", PartitionEntry.EncryptedFlag),
        new("readonly", PartitionEntry.ReadOnlyFlag),
    ];

    /// <summary>Parses CSV and fills in missing offsets. Call <see cref="PartitionTableValidator"/> to check the rules.</summary>
    public static PartitionTable Parse(string csv, uint tableOffset = PartitionTable.DefaultOffset)
    {
        var rows = new List<Row>();
        var lines = csv.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            try
            {
                rows.Add(ParseRow(line, i + 1));
            }
            catch (Esp32FormatException e)
            {
                throw new Esp32FormatException(e.Error, $"line {i + 1}: {e.Message}", e);
            }
        }

        // Fill in missing offsets and negative ("up to") sizes, as gen_esp32part.py does.
        var entries = new List<PartitionEntry>();
        long lastEnd = (long)tableOffset + PartitionTable.SectorSize;
        foreach (var row in rows)
        {
            if (row.Type is PartitionKinds.Bootloader or PartitionKinds.PartitionTable && row.Subtype == 0)
            {
                if (row.Offset is null || row.Size is null)
                {
                    throw new Esp32FormatException(FormatError.PartitionCsvSyntax,
                        $"line {row.Line}: primary bootloader and partition_table entries need an explicit offset and size");
                }
                entries.Add(row.ToEntry(row.Offset.Value, row.Size.Value));
                continue;
            }
            long offset;
            if (row.Offset is { } given)
            {
                if (given < lastEnd)
                {
                    throw new Esp32FormatException(FormatError.PartitionOverlap,
                        $"line {row.Line}: partition '{row.Name}' at 0x{given:X} overlaps what comes before it, which ends at 0x{lastEnd:X}");
                }
                offset = given;
            }
            else
            {
                var align = PartitionKinds.OffsetAlignment(row.Type);
                offset = (lastEnd + align - 1) / align * align;
            }
            var size = row.Size ?? throw new Esp32FormatException(FormatError.PartitionCsvSyntax, $"line {row.Line}: size can't be empty");
            if (size < 0) size = -size - offset;
            if (offset > uint.MaxValue || size <= 0 || size > uint.MaxValue || offset + size > 0x1_0000_0000L)
            {
                throw new Esp32FormatException(FormatError.PartitionCsvSyntax,
                    $"line {row.Line}: partition '{row.Name}' offset 0x{offset:X} and size {size} do not fit in 32-bit flash addresses");
            }
            entries.Add(row.ToEntry(offset, size));
            lastEnd = offset + size;
        }
        return new PartitionTable(entries);
    }

    /// <summary>CSV exactly as gen_esp32part.py prints it for a binary table.</summary>
    public static string Format(PartitionTable table)
    {
        var text = new StringBuilder();
        text.Append("# ESP-IDF Partition Table\n");
        text.Append("# Name, Type, SubType, Offset, Size, Flags\n");
        foreach (var e in table)
        {
            var flags = string.Join(':', FlagNames.Where(f => (e.Flags & f.Value) != 0).Select(f => f.Key));
            text.Append(CultureInfo.InvariantCulture,
                $"{e.Name},{e.TypeName},{e.SubtypeName},0x{e.Offset:x},{FormatSize(e.Size)},{flags}\n");
        }
        return text.ToString();
    }

    private static string FormatSize(uint size) =>
        size % 0x100000 == 0 ? $"{size / 0x100000}M" :
        size % 0x400 == 0 ? $"{size / 0x400}K" :
        $"0x{size:x}";

    private static Row ParseRow(string line, int lineNumber)
    {
        if (line.Contains('$', StringComparison.Ordinal))
        {
            throw new Esp32FormatException(FormatError.PartitionCsvSyntax,
                "environment variables ($NAME) are not expanded; write the value itself");
        }
        var fields = (line + ",,,,").Split(',').Select(f => f.Trim()).ToArray();
        var name = fields[0];
        if (fields[1].Length == 0) throw new Esp32FormatException(FormatError.PartitionCsvSyntax, "field 'type' can't be left empty");
        var type = ParseByte(fields[1], PartitionKinds.TypeKeywords, "type");

        byte subtype;
        if (fields[2].Length == 0)
        {
            if (type == PartitionKinds.App)
            {
                throw new Esp32FormatException(FormatError.PartitionCsvSyntax, "an app partition cannot have an empty subtype");
            }
            subtype = PartitionKinds.DataUndefined;
        }
        else
        {
            subtype = ParseByte(fields[2], PartitionKinds.SubtypeKeywords(type), "subtype");
        }

        var offset = fields[3].Length == 0 ? (long?)null : ParseNumber(fields[3], "offset");
        var size = fields[4].Length == 0 ? (long?)null : ParseNumber(fields[4], "size");
        if (size is null) throw new Esp32FormatException(FormatError.PartitionCsvSyntax, "size can't be empty");

        uint flags = 0;
        foreach (var flag in fields[5].Split(':'))
        {
            if (flag.Length == 0) continue;
            var known = FlagNames.FirstOrDefault(f => f.Key == flag);
            if (known.Key is null)
            {
                throw new Esp32FormatException(FormatError.PartitionUnknownKeyword,
                    $"unknown flag '{flag}'; known flags: {string.Join(", ", FlagNames.Select(f => f.Key))}");
            }
            flags |= known.Value;
        }
        if (fields.Skip(6).Any(f => f.Length > 0))
        {
            throw new Esp32FormatException(FormatError.PartitionCsvSyntax,
                "too many fields; expected Name, Type, SubType, Offset, Size, Flags");
        }
        return new Row(lineNumber, name, type, subtype, offset, size, flags);
    }

    private static byte ParseByte(string text, IReadOnlyList<KeyValuePair<string, byte>> keywords, string what)
    {
        if (TryParseInteger(text, out var value))
        {
            if (value is < 0 or > 255)
            {
                throw new Esp32FormatException(FormatError.PartitionCsvSyntax, $"{what} {text} does not fit in one byte (0..255)");
            }
            return (byte)value;
        }
        var lower = text.ToLowerInvariant();
        foreach (var (name, v) in keywords)
        {
            if (name == lower) return v;
        }
        throw new Esp32FormatException(FormatError.PartitionUnknownKeyword,
            keywords.Count == 0
                ? $"{what} '{text}' is not a number, and this partition type has no named subtypes"
                : $"{what} '{text}' is not valid; known keywords: {string.Join(", ", keywords.Select(k => k.Key))}");
    }

    private static long ParseNumber(string text, string what) =>
        TryParseInteger(text, out var value)
            ? value
            : throw new Esp32FormatException(FormatError.PartitionCsvSyntax, $"{what} '{text}' is not a number (use 0x1000, 4096, 4K or 1M)");

    /// <summary>Python's <c>int(x, 0)</c> with gen_esp32part's K/M suffixes.</summary>
    internal static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var s = text.Trim();
        long multiplier = 1;
        while (s.Length > 0 && char.ToLowerInvariant(s[^1]) is 'k' or 'm')
        {
            multiplier *= char.ToLowerInvariant(s[^1]) == 'k' ? 1024 : 1024 * 1024;
            if (multiplier > 1L << 40) return false;
            s = s[..^1];
        }
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        s = s.Replace("_", "", StringComparison.Ordinal);
        if (s.Length == 0) return false;
        var style = 10;
        if (s.Length > 2 && s[0] == '0')
        {
            style = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 10 };
            if (style != 10) s = s[2..];
        }
        if (style == 10 && s.Length > 1 && s[0] == '0' && s.Any(c => c != '0')) return false; // Python rejects 010
        try
        {
            var magnitude = Convert.ToInt64(s, style);
            if (magnitude < 0) return false;
            value = checked((negative ? -magnitude : magnitude) * multiplier);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private sealed record Row(int Line, string Name, byte Type, byte Subtype, long? Offset, long? Size, uint Flags)
    {
        public PartitionEntry ToEntry(long offset, long size) => new(Name, Type, Subtype, (uint)offset, (uint)size, Flags);
    }
}
