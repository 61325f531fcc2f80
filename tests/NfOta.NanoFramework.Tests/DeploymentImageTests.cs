namespace NfOta.NanoFramework.Tests;

/// <summary>The deployment region as nanoCLR's start-up walks it.</summary>
public sealed class DeploymentImageTests
{
    private static byte[] Region(int size, params (int Offset, byte[] Bytes)[] parts)
    {
        var region = new byte[size];
        region.AsSpan().Fill(0xFF);
        foreach (var (offset, bytes) in parts) bytes.CopyTo(region, offset);
        return region;
    }

    [Fact]
    public void BuildLaysAssembliesOutContiguouslyAndTheWalkFindsEachOnce()
    {
        var pe = PeAssemblyTests.Mscorlib();
        var odd = pe.Length % 4 == 0 ? 0 : 4 - pe.Length % 4;
        var image = DeploymentImage.Build([pe, pe]);
        Assert.Equal(2 * (pe.Length + odd), image.Length);

        var walk = DeploymentImage.Walk(Region(image.Length + 0x1000, (0, image)));
        Assert.Equal([0, pe.Length + odd], walk.Select(e => e.Offset));
        Assert.All(walk, e => Assert.Equal(0x1549C856u, e.Assembly!.NativeChecksum)); // the erased rest reports nothing
    }

    [Fact]
    public void AGapThatIsNotAWholeNumberOfHeadersHidesTheNextAssembly()
    {
        // nanoCLR steps over an unreadable header 124 bytes at a time: an assembly 128 bytes after
        // the previous one is never found, one 124 bytes after it is.
        var pe = PeAssemblyTests.Mscorlib();
        var missed = DeploymentImage.Walk(Region(2 * pe.Length + 0x1000, (0, pe), (pe.Length + 128, pe)));
        Assert.Single(missed, e => e.Assembly is not null);
        Assert.Contains(missed, e => e.Assembly is null && e.Offset == pe.Length);

        var found = DeploymentImage.Walk(Region(2 * pe.Length + 0x1000, (0, pe), (pe.Length + 124, pe)));
        Assert.Equal(2, found.Count(e => e.Assembly is not null));
    }

    [Fact]
    public void ADamagedAssemblyIsSkippedAndTheNextStillLoads()
    {
        var pe = PeAssemblyTests.Mscorlib();
        var damaged = (byte[])pe.Clone();
        damaged[1000] ^= 1;
        var walk = DeploymentImage.Walk(Region(2 * pe.Length + 0x1000, (0, damaged), (pe.Length, pe)));
        Assert.Null(walk[0].Assembly);
        Assert.Contains("damaged", walk[0].Skipped);
        Assert.Equal(pe.Length, walk[1].Offset);
        Assert.NotNull(walk[1].Assembly);
    }

    [Fact]
    public void AnAssemblyRunningPastTheRegionStopsTheWalk()
    {
        var pe = PeAssemblyTests.Mscorlib();
        var walk = DeploymentImage.Walk(Region(pe.Length - 4, (0, pe.AsSpan(0, pe.Length - 4).ToArray())));
        var only = Assert.Single(walk);
        Assert.Contains("runs past the region's end", only.Skipped);
    }

    [Fact]
    public void BuildRefusesWhatNanoClrWouldSkip()
    {
        var pe = PeAssemblyTests.Mscorlib();
        var damaged = (byte[])pe.Clone();
        damaged[^1] ^= 1;
        var e = Assert.Throws<PeFormatException>(() => DeploymentImage.Build([pe, damaged]));
        Assert.Equal("pe-assembly-crc", e.Code);
        Assert.StartsWith("assembly 2 of 2:", e.Message);
        Assert.Equal("pe-trailing-bytes", Assert.Throws<PeFormatException>(() => DeploymentImage.Build([[.. pe, 0, 0, 0, 0]])).Code);
    }
}
