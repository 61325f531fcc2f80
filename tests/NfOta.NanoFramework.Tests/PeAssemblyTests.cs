using System.Buffers.Binary;

namespace NfOta.NanoFramework.Tests;

/// <summary>The .pe checks nanoCLR makes before it loads an assembly, on nanoFramework's own mscorlib.pe.</summary>
public sealed class PeAssemblyTests
{
    internal static byte[] Mscorlib() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "oracle", "mscorlib.pe"));

    /// <summary>A copy with one header field changed and the header CRC recomputed, so only that field is wrong.</summary>
    private static byte[] WithHeaderField(int offset, ReadOnlySpan<byte> value)
    {
        var pe = Mscorlib();
        value.CopyTo(pe.AsSpan(offset));
        pe.AsSpan(8, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(pe.AsSpan(8), NanoCrc32.Compute(pe.AsSpan(0, PeAssembly.HeaderSize), 0));
        return pe;
    }

    [Fact]
    public void MscorlibPeChecksAsNanoClrChecksIt()
    {
        var pe = Mscorlib();
        var assembly = PeAssembly.Parse(pe);
        Assert.Null(assembly.Name); // "mscorlib" is one of nanoCLR's built-in strings, not in the .pe's own table
        Assert.True(assembly.NameIndex > 2772, $"name index {assembly.NameIndex}"); // past mscorlib.pe's 2,772-byte string table
        Assert.Equal(0x1549C856u, assembly.NativeChecksum); // the value nf-interpreter's corlib_native carries
        Assert.Equal(pe.Length, assembly.TotalSize);
        Assert.Empty(assembly.References); // the core library references nothing
        Assert.Equal(new Version(1, 17, 11, 0), assembly.Version);
    }

    [Fact]
    public void AFlippedHeaderByteFailsTheHeaderCrc()
    {
        var pe = Mscorlib();
        pe[21] ^= 0x01; // the native checksum
        Assert.Equal("pe-header-crc", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(pe)).Code);
    }

    [Fact]
    public void AFlippedBodyByteFailsTheAssemblyCrc()
    {
        var pe = Mscorlib();
        pe[pe.Length / 2] ^= 0x80;
        Assert.Equal("pe-assembly-crc", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(pe)).Code);
    }

    [Fact]
    public void ATruncatedPeIsRefused()
    {
        var pe = Mscorlib();
        Assert.Equal("pe-truncated", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(pe.AsSpan(0, pe.Length - 1))).Code);
        Assert.Equal("pe-truncated", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(pe.AsSpan(0, 100))).Code);
    }

    [Fact]
    public void AnotherMarkerOrStringTableVersionIsRefusedEvenWithAGoodCrc()
    {
        Assert.Equal("pe-marker", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(WithHeaderField(0, "NFMRK2\0"u8))).Code);
        Assert.Equal("pe-version", Assert.Throws<PeFormatException>(() => PeAssembly.Parse(WithHeaderField(38, [2, 0]))).Code);
        // A good CRC alone is not enough, and the helper does keep a .pe good when nothing changes.
        Assert.Equal(0x1549C856u, PeAssembly.Parse(WithHeaderField(0, "NFMRK1\0"u8)).NativeChecksum);
    }
}
