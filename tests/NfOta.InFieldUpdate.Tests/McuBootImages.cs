using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>
/// MCUboot images for tests, laid out as imgtool 2.3.0 lays them out (header, payload, protected
/// TLVs with dependencies, then SHA-256, KEYHASH and ECDSA-SHA256 signature TLVs); the imgtool
/// vectors in tests/vectors/mcuboot-images are the check that the device reads real ones.
/// </summary>
internal static class McuBootImages
{
    public static ECDsa Key { get; } = LoadKey("key-ec256.pem");

    public static ECDsa OtherKey { get; } = LoadKey("key-ec256-other.pem");

    public static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "vectors", "mcuboot-images", name);

    public static byte[] Vector(string name) => File.ReadAllBytes(VectorPath(name));

    /// <summary>The key's uncompressed point, as a board's build carries it.</summary>
    public static byte[] Point(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return [0x04, .. p.Q.X!, .. p.Q.Y!];
    }

    public sealed record Dependency(byte Image, byte Major, byte Minor, ushort Revision, uint Build = 0);

    public static byte[] Build(byte[] payload, string version, ECDsa? key, int headerSize = 0x200, Dependency[]? dependencies = null, uint flags = 0)
    {
        var v = System.Version.Parse(version);
        var header = new byte[headerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x96f3b83d);
        var protectedArea = Protected(dependencies ?? []);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)headerSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)protectedArea.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), flags);
        header[20] = (byte)v.Major;
        header[21] = (byte)v.Minor;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)Math.Max(0, v.Build));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)Math.Max(0, v.Revision));
        byte[] signed = [.. header, .. payload, .. protectedArea];
        var hash = SHA256.HashData(signed);
        var tlvs = new List<byte>();
        tlvs.AddRange(Tlv(0x10, hash));
        if (key != null)
        {
            tlvs.AddRange(Tlv(0x01, SHA256.HashData(key.ExportSubjectPublicKeyInfo())));
            tlvs.AddRange(Tlv(0x22, key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence)));
        }
        var info = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(info, 0x6907);
        BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(2), (ushort)(tlvs.Count + 4));
        return [.. signed, .. info, .. tlvs];
    }

    private static byte[] Protected(Dependency[] dependencies)
    {
        if (dependencies.Length == 0)
        {
            return [];
        }
        var tlvs = new List<byte>();
        foreach (var d in dependencies)
        {
            var data = new byte[12];
            data[0] = d.Image;
            data[4] = d.Major;
            data[5] = d.Minor;
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), d.Revision);
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), d.Build);
            tlvs.AddRange(Tlv(0x40, data));
        }
        var info = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(info, 0x6908);
        BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(2), (ushort)(tlvs.Count + 4));
        return [.. info, .. tlvs];
    }

    private static byte[] Tlv(ushort type, byte[] data)
    {
        var bytes = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)data.Length);
        data.CopyTo(bytes, 4);
        return bytes;
    }

    private static ECDsa LoadKey(string name)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(VectorPath(name)));
        return key;
    }
}
