using System.Buffers.Binary;
using System.Text;

namespace NfOta.NanoFramework;

/// <summary>
/// The native assemblies a firmware provides: nanoCLR's interop table, one (name, native checksum)
/// per native library linked into the build. An assembly whose header names a native checksum
/// binds only to an entry of the same name and checksum (CLR_E_ASSM_WRONG_CHECKSUM otherwise).
/// <para>
/// The record form (<see cref="ToRecord"/>, <see cref="FromRecord"/>) is what
/// NativeOta.GetNativeAssemblies returns: per entry the checksum (u32 LE), the name's length (u8),
/// the name. The embedded form (<see cref="Embed"/>, <see cref="FindIn"/>) is the same record after
/// a marker, so nf-ota's synthetic firmware images (demo, emulator, tests) carry their table
/// where a host tool can find it; a real nanoCLR image keeps its table as pointers and carries no marker.
/// </para>
/// </summary>
public sealed record NativeAssemblyTable(IReadOnlyList<NativeAssembly> Assemblies)
{
    /// <summary>"NFOTA-NATIVES1" and a terminator, then u16 count, then the record.</summary>
    private static ReadOnlySpan<byte> Marker => "NFOTA-NATIVES1\0"u8;

    public NativeAssembly? Find(string? name) => Assemblies.FirstOrDefault(a => a.Name == name);

    public byte[] ToRecord()
    {
        var bytes = new List<byte>();
        foreach (var a in Assemblies)
        {
            var name = Encoding.ASCII.GetBytes(a.Name);
            if (name.Length > 255) throw new ArgumentException($"native assembly name '{a.Name}' is longer than 255 bytes");
            var checksum = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(checksum, a.Checksum);
            bytes.AddRange(checksum);
            bytes.Add((byte)name.Length);
            bytes.AddRange(name);
        }
        return [.. bytes];
    }

    /// <summary>Parses a record; throws <see cref="PeFormatException"/> ("native-table") when an entry runs past the end.</summary>
    public static NativeAssemblyTable FromRecord(ReadOnlySpan<byte> record)
    {
        var list = new List<NativeAssembly>();
        var at = 0;
        while (at < record.Length)
        {
            if (record.Length - at < 5 || record.Length - at - 5 < record[at + 4])
            {
                throw new PeFormatException("native-table", $"the native assembly table is cut inside entry {list.Count + 1}");
            }
            var checksum = BinaryPrimitives.ReadUInt32LittleEndian(record[at..]);
            var name = Encoding.ASCII.GetString(record.Slice(at + 5, record[at + 4]));
            list.Add(new NativeAssembly(name, checksum));
            at += 5 + record[at + 4];
        }
        return new NativeAssemblyTable(list);
    }

    /// <summary>The marker, the entry count and the record: bytes to place in a synthetic firmware's data.</summary>
    public byte[] Embed()
    {
        var record = ToRecord();
        var bytes = new byte[Marker.Length + 4 + record.Length];
        Marker.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Marker.Length), checked((ushort)Assemblies.Count));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Marker.Length + 2), checked((ushort)record.Length));
        record.CopyTo(bytes, Marker.Length + 4);
        return bytes;
    }

    /// <summary>The table embedded in a firmware image, or null when it carries none (a real nanoCLR build).</summary>
    public static NativeAssemblyTable? FindIn(ReadOnlySpan<byte> image)
    {
        var at = image.IndexOf(Marker);
        if (at < 0 || image.Length - at - Marker.Length < 4) return null;
        var body = image[(at + Marker.Length)..];
        int count = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        if (body.Length - 4 < length) return null;
        var table = FromRecord(body.Slice(4, length));
        return table.Assemblies.Count == count ? table : null;
    }

    /// <summary>"Name:XXXXXXXX,..." as a format 2 manifest lists natives (app-natives, firmware-natives).</summary>
    public string ManifestForm() => string.Join(",", Assemblies.Select(a => $"{a.Name}:{a.Checksum:X8}"));

    public override string ToString() => string.Join(", ", Assemblies.Select(a => a.ToString()));
}

/// <summary>One entry of a firmware's native table.</summary>
public sealed record NativeAssembly(string Name, uint Checksum)
{
    public override string ToString() => $"{Name} 0x{Checksum:X8}";
}
