using System.Buffers.Binary;
using System.Text;

namespace NfOta.NanoFramework;

/// <summary>
/// One nanoFramework assembly as MetadataProcessor writes it and nanoCLR loads it (a ".pe",
/// marker "NFMRK1"): a 124-byte header (CLR_RECORD_ASSEMBLY) then the tables. nanoCLR takes an
/// assembly only when the header's CRC, the string table version, the marker and the CRC of
/// everything after the header all check (GoodHeader, GoodAssembly); <see cref="Parse"/> applies
/// the same checks and says which one failed.
/// </summary>
public sealed record PeAssembly
{
    public const int HeaderSize = 124;

    /// <summary>c_CLR_StringTable_Version: the only string table nanoCLR accepts.</summary>
    public const ushort StringTableVersion = 1;

    private const int HeaderCrcOffset = 8;
    private const int AssemblyCrcOffset = 12;
    private const int TablesOffset = 40;
    private const int TableCount = 16;
    private const int StringsTable = 11;
    private const int AssemblyRefTable = 0;
    private const int EndOfAssembly = 15;
    private const int AssemblyRefSize = 12;

    /// <summary>"NFMRK1" and its terminator, as nanoCLR's ValidateMarker compares them.</summary>
    private static ReadOnlySpan<byte> Marker => "NFMRK1\0"u8;

    /// <summary>
    /// The assembly's name from its own string table; null when the name is one of nanoCLR's
    /// built-in strings (an index past the assembly's table: mscorlib's own name is one).
    /// </summary>
    public required string? Name { get; init; }

    /// <summary>The name's string index (CLR_STRING).</summary>
    public required ushort NameIndex { get; init; }

    public required Version Version { get; init; }

    /// <summary>The native methods checksum a native library must carry for nanoCLR to bind it (0: none needed).</summary>
    public required uint NativeChecksum { get; init; }

    public required uint Flags { get; init; }

    public required uint HeaderCrc { get; init; }

    public required uint AssemblyCrc { get; init; }

    /// <summary>The whole assembly's length (startOfTables[TBL_EndOfAssembly]).</summary>
    public required int TotalSize { get; init; }

    /// <summary>The assemblies this one needs, by name and version (its AssemblyRef table).</summary>
    public required IReadOnlyList<(string? Name, Version Version)> References { get; init; }

    /// <summary>Reads and checks the assembly at the start of <paramref name="bytes"/> (more bytes may follow).</summary>
    public static PeAssembly Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new PeFormatException("pe-truncated", $"{bytes.Length} bytes is shorter than a .pe header ({HeaderSize} bytes)");
        }
        var header = bytes[..HeaderSize];
        if (CheckHeader(header) is { } problem) throw problem;
        var headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[HeaderCrcOffset..]);

        var tables = new int[TableCount];
        for (var i = 0; i < TableCount; i++)
        {
            tables[i] = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(header[(TablesOffset + 4 * i)..]));
            if (tables[i] < HeaderSize || (i > 0 && tables[i] < tables[i - 1]))
            {
                throw new PeFormatException("pe-tables", $"table {i} starts at {tables[i]}, before the header's end or the previous table");
            }
        }
        var total = tables[EndOfAssembly];
        if (total > bytes.Length)
        {
            throw new PeFormatException("pe-truncated", $"the assembly is {total} bytes but only {bytes.Length} are there");
        }
        var assemblyCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[AssemblyCrcOffset..]);
        var body = NanoCrc32.Compute(bytes[HeaderSize..total], 0);
        if (body != assemblyCrc)
        {
            throw new PeFormatException("pe-assembly-crc", $"the assembly CRC is 0x{assemblyCrc:X8} but its bytes give 0x{body:X8}: the .pe was damaged");
        }

        var strings = bytes[tables[StringsTable]..tables[StringsTable + 1]];
        var references = new List<(string?, Version)>();
        for (var at = tables[AssemblyRefTable]; at + AssemblyRefSize <= tables[AssemblyRefTable + 1]; at += AssemblyRefSize)
        {
            var record = bytes[at..];
            references.Add((String(strings, BinaryPrimitives.ReadUInt16LittleEndian(record)), VersionAt(record[4..])));
        }
        return new PeAssembly
        {
            Name = String(strings, BinaryPrimitives.ReadUInt16LittleEndian(header[36..])),
            NameIndex = BinaryPrimitives.ReadUInt16LittleEndian(header[36..]),
            Version = VersionAt(header[28..]),
            NativeChecksum = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]),
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]),
            HeaderCrc = headerCrc,
            AssemblyCrc = assemblyCrc,
            TotalSize = total,
            References = references,
        };
    }

    /// <summary>nanoCLR's GoodHeader: the header's CRC, the string table version, the marker. Null when all check.</summary>
    internal static PeFormatException? CheckHeader(ReadOnlySpan<byte> header)
    {
        var headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[HeaderCrcOffset..]);
        Span<byte> zeroed = stackalloc byte[HeaderSize];
        header[..HeaderSize].CopyTo(zeroed);
        zeroed[HeaderCrcOffset..(HeaderCrcOffset + 4)].Clear();
        var computed = NanoCrc32.Compute(zeroed, 0);
        if (computed != headerCrc)
        {
            return new PeFormatException("pe-header-crc", $"the header CRC is 0x{headerCrc:X8} but the header's bytes give 0x{computed:X8}: not a .pe, or a damaged one");
        }
        var stringTableVersion = BinaryPrimitives.ReadUInt16LittleEndian(header[38..]);
        if (stringTableVersion != StringTableVersion)
        {
            return new PeFormatException("pe-version", $"string table version {stringTableVersion}; nanoCLR reads only version {StringTableVersion}");
        }
        return header[..Marker.Length].SequenceEqual(Marker)
            ? null
            : new PeFormatException("pe-marker", "the marker is not NFMRK1: this .pe is for another nanoCLR format version");
    }

    /// <summary>The length the header declares (startOfTables[TBL_EndOfAssembly]).</summary>
    internal static uint DeclaredSize(ReadOnlySpan<byte> header) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[(TablesOffset + 4 * EndOfAssembly)..]);

    private static Version VersionAt(ReadOnlySpan<byte> v) => new(
        BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..]),
        BinaryPrimitives.ReadUInt16LittleEndian(v[4..]), BinaryPrimitives.ReadUInt16LittleEndian(v[6..]));

    /// <summary>A string of the assembly's own string table (a NUL-terminated UTF-8 run at that offset), or null for a built-in one.</summary>
    private static string? String(ReadOnlySpan<byte> strings, ushort index)
    {
        if (index >= strings.Length) return null;
        var text = strings[index..];
        var end = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
    }
}
