using System.Buffers.Binary;

namespace NfGen.Tests;

/// <summary>
/// Just enough of nanoFramework's .pe format (v1, "NFMRK1") to read what MetadataProcessor
/// decided: the native methods checksum in the header, and the TypeDef and MethodDef tables.
/// </summary>
internal sealed class NanoPe
{
    public sealed record TypeRecord(int VirtualMethods, int InstanceMethods, int StaticMethods, int FirstMethod);

    public sealed record MethodRecord(ushort Rva, uint Flags, byte Arguments);

    private const int TypeDefTable = 4;
    private const int FieldDefTable = 5;
    private const int MethodDefTable = 6;
    private const int AttributesTable = 7;

    public NanoPe(byte[] pe)
    {
        if (!pe.AsSpan(0, 8).SequenceEqual("NFMRK1\0\0"u8)) throw new InvalidDataException("not a v1 nanoFramework .pe");
        NativeChecksum = BinaryPrimitives.ReadUInt32LittleEndian(pe.AsSpan(20));
        // marker, two CRCs, flags, native checksum, patch offset, version (4 x u16), name, string table version
        const int startOfTables = 8 + 4 * 5 + 8 + 4;
        uint Start(int table) => BinaryPrimitives.ReadUInt32LittleEndian(pe.AsSpan(startOfTables + 4 * table));

        for (var at = Start(TypeDefTable); at < Start(FieldDefTable); at += 24)
        {
            var record = pe.AsSpan((int)at, 24);
            Types.Add(new TypeRecord(record[12], record[13], record[14], BinaryPrimitives.ReadUInt16LittleEndian(record[10..])));
        }
        for (var at = Start(MethodDefTable); at < Start(AttributesTable); at += 16)
        {
            var record = pe.AsSpan((int)at, 16);
            Methods.Add(new MethodRecord(BinaryPrimitives.ReadUInt16LittleEndian(record[2..]), BinaryPrimitives.ReadUInt32LittleEndian(record[4..]), record[9]));
        }
    }

    public uint NativeChecksum { get; }

    public List<TypeRecord> Types { get; } = [];

    public List<MethodRecord> Methods { get; } = [];
}
