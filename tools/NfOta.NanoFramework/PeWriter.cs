using System.Buffers.Binary;
using System.Text;

namespace NfOta.NanoFramework;

/// <summary>
/// Writes a small but well-formed .pe: the header nanoCLR checks (marker, CRCs, string table
/// version, native checksum, version), an AssemblyRef table, a string table and an opaque byte-code
/// table of a chosen size. No types, no methods: nothing could run it, but everything nanoCLR
/// checks before it loads and binds an assembly is there. The demo and the tests use it for
/// apps of any shape, since MetadataProcessor does not run on these machines; the real
/// mscorlib.pe of nanoFramework.CoreLibrary checks the reader.
/// </summary>
public static class PeWriter
{
    /// <summary>mscorlib's name is one of nanoCLR's built-in strings; this is its index (read from CoreLibrary 1.17.11's mscorlib.pe).</summary>
    public const ushort BuiltInMscorlibName = 64722;

    private const int TableCount = 16;
    private const int AssemblyRefTable = 0;
    private const int StringsTable = 11;
    private const int ByteCodeTable = 12;

    public static byte[] Write(string name, Version version, uint nativeChecksum, IReadOnlyList<(string Name, Version Version)> references, int codeBytes = 0, int seed = 1)
    {
        var strings = new List<byte>();
        ushort Intern(string s)
        {
            if (s == "mscorlib") return BuiltInMscorlibName;
            var at = strings.Count;
            strings.AddRange(Encoding.UTF8.GetBytes(s));
            strings.Add(0);
            return checked((ushort)at);
        }

        var nameIndex = Intern(name);
        var refs = new byte[references.Count * 12];
        for (var i = 0; i < references.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(refs.AsSpan(i * 12), Intern(references[i].Name));
            WriteVersion(refs.AsSpan(i * 12 + 4), references[i].Version);
        }
        while (strings.Count % 4 != 0) strings.Add(0);
        var code = new byte[codeBytes];
        new Random(seed).NextBytes(code);

        var header = new byte[PeAssembly.HeaderSize];
        var starts = new int[TableCount];
        var at = PeAssembly.HeaderSize;
        for (var t = 0; t < TableCount; t++)
        {
            starts[t] = at;
            at += t switch { AssemblyRefTable => refs.Length, StringsTable => strings.Count, ByteCodeTable => code.Length, _ => 0 };
        }
        var bytes = new byte[at];
        refs.CopyTo(bytes, starts[AssemblyRefTable]);
        strings.ToArray().CopyTo(bytes, starts[StringsTable]);
        code.CopyTo(bytes, starts[ByteCodeTable]);

        "NFMRK1\0\0"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), nativeChecksum);
        WriteVersion(header.AsSpan(28), version);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(36), nameIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(38), PeAssembly.StringTableVersion);
        for (var t = 0; t < TableCount; t++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40 + 4 * t), (uint)starts[t]);
        }
        header.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), NanoCrc32.Compute(bytes.AsSpan(PeAssembly.HeaderSize), 0));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), NanoCrc32.Compute(bytes.AsSpan(0, PeAssembly.HeaderSize), 0));
        return bytes;
    }

    private static void WriteVersion(Span<byte> to, Version v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(to, (ushort)v.Major);
        BinaryPrimitives.WriteUInt16LittleEndian(to[2..], (ushort)v.Minor);
        BinaryPrimitives.WriteUInt16LittleEndian(to[4..], (ushort)Math.Max(0, v.Build));
        BinaryPrimitives.WriteUInt16LittleEndian(to[6..], (ushort)Math.Max(0, v.Revision));
    }
}
