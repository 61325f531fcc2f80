namespace NfOta.NanoFramework.Tests;

/// <summary>Whether an app binds to a firmware's native table, as nanoCLR's LoadAssembly decides; on the real mscorlib.pe.</summary>
public sealed class AppBindingTests
{
    private static readonly Version Corlib = new(1, 17, 11, 0);

    private static PeAssembly Interop(uint checksum) => PeAssembly.Parse(PeWriter.Write("NfOta.Interop", new Version(1, 0, 0, 0), checksum, [("mscorlib", Corlib)], 50));

    private static PeAssembly App(params (string, Version)[] refs) => PeAssembly.Parse(PeWriter.Write("App", new Version(2, 0, 0, 0), 0, refs, 50));

    [Fact]
    public void TheRealMscorlibAndAWrittenAppBindToTheTableThatHasTheirChecksums()
    {
        var corlib = PeAssembly.Parse(PeAssemblyTests.Mscorlib());
        var app = new[] { corlib, Interop(0x2B3B2E87), App(("mscorlib", Corlib), ("NfOta.Interop", new Version(1, 0, 0, 0))) };
        var table = new NativeAssemblyTable([new("mscorlib", corlib.NativeChecksum), new("NfOta.Interop", 0x2B3B2E87)]);
        Assert.Empty(AppBinding.Check(app, table));
        Assert.Equal(["mscorlib 0x1549C856", "NfOta.Interop 0x2B3B2E87"], AppBinding.Needs(app).Assemblies.Select(a => a.ToString()));
    }

    [Fact]
    public void AChecksumThatDiffersIsWrongChecksumAndWhatNeededItIsMissing()
    {
        var corlib = PeAssembly.Parse(PeAssemblyTests.Mscorlib());
        var app = new[] { corlib, Interop(0xC0F19C22), App(("mscorlib", Corlib), ("NfOta.Interop", new Version(1, 0, 0, 0))) };
        var table = new NativeAssemblyTable([new("mscorlib", corlib.NativeChecksum), new("NfOta.Interop", 0x2B3B2E87)]);
        var problems = AppBinding.Check(app, table);
        Assert.Equal(["CLR_E_ASSM_WRONG_CHECKSUM", "assembly-missing"], problems.Select(p => p.Code));
        Assert.Contains("0xC0F19C22", problems[0].Message);
        Assert.Contains("0x2B3B2E87", problems[0].Message);
    }

    [Fact]
    public void NativeMethodsTheFirmwareLacksAreNamed()
    {
        var corlib = PeAssembly.Parse(PeAssemblyTests.Mscorlib());
        var problems = AppBinding.Check([corlib, Interop(0x2B3B2E87)], new NativeAssemblyTable([new("mscorlib", corlib.NativeChecksum)]));
        Assert.Equal("native-missing", Assert.Single(problems).Code);
    }

    [Fact]
    public void TheTableRoundTripsAsARecordAndAsEmbeddedInAnImage()
    {
        var table = new NativeAssemblyTable([new("mscorlib", 0x1549C856), new("System.Device.Gpio", 0x4D8A1F60)]);
        Assert.Equal(table.Assemblies, NativeAssemblyTable.FromRecord(table.ToRecord()).Assemblies);
        var image = new byte[4096];
        new Random(1).NextBytes(image);
        table.Embed().CopyTo(image, 1000);
        Assert.Equal(table.Assemblies, NativeAssemblyTable.FindIn(image)!.Assemblies);
        Assert.Null(NativeAssemblyTable.FindIn(image.AsSpan(0, 1000)));
        Assert.Equal("native-table", Assert.Throws<PeFormatException>(() => NativeAssemblyTable.FromRecord(table.ToRecord()[..^3])).Code);
    }

    [Fact]
    public void WrittenAssembliesPassEveryCheckNanoClrMakes()
    {
        var bytes = PeWriter.Write("App", new Version(1, 2, 3, 4), 0x12345678, [("mscorlib", Corlib), ("Other", new Version(5, 0, 0, 0))], 777);
        var pe = PeAssembly.Parse(bytes);
        Assert.Equal("App", pe.Name);
        Assert.Equal(new Version(1, 2, 3, 4), pe.Version);
        Assert.Equal(0x12345678u, pe.NativeChecksum);
        Assert.Equal(bytes.Length, pe.TotalSize);
        Assert.Equal([(null, Corlib), ("Other", new Version(5, 0, 0, 0))], pe.References);
    }
}
