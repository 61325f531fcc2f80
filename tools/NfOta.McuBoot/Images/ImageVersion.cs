using System.Buffers.Binary;

namespace NfOta.McuBoot.Images;

/// <summary>
/// MCUboot's image version (struct image_version, 8 bytes): major and minor bytes, a 16-bit
/// revision and a 32-bit build number, printed by imgtool as <c>major.minor.revision+build</c>.
/// </summary>
public readonly record struct ImageVersion(byte Major, byte Minor, ushort Revision, uint Build)
{
    /// <summary>Bytes of the version in a header or a dependency TLV.</summary>
    public const int Size = 8;

    /// <summary>Reads the 8 little-endian bytes at the start of <paramref name="bytes"/>.</summary>
    public static ImageVersion Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0],
        bytes[1],
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]));

    /// <summary>imgtool's form: <c>1.2.3+4</c>.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Revision}+{Build}";
}
