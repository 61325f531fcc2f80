using NfOta.Emulator.Flash;

namespace NfOta.Emulator.Tests;

/// <summary>Copies of a flash chip share pages until one side changes them; neither side ever sees the other's change.</summary>
public sealed class FlashCopyTests
{
    [Fact]
    public void AProgramOrEraseOnEitherSideLeavesTheOtherAsItWas()
    {
        var flash = new NorFlash();
        flash.Program(0x1000, [0x12, 0x34]);
        flash.Program(0x20000, [0x56]);
        var copy = flash.Copy();
        Assert.Empty(copy.Log); // the copy's own commands start from nothing

        flash.Program(0x1000, [0x02]); // a page the original wrote before the copy: shared now
        copy.Program(0x1001, [0x00]);
        flash.EraseSector(0x20000);
        copy.Program(0x30000, [0x0F]);

        Assert.Equal(new byte[] { 0x02, 0x34 }, Read(flash, 0x1000, 2));
        Assert.Equal(new byte[] { 0x12, 0x00 }, Read(copy, 0x1000, 2));
        Assert.Equal(0xFF, Read(flash, 0x20000, 1)[0]);
        Assert.Equal(0x56, Read(copy, 0x20000, 1)[0]);
        Assert.Equal(0xFF, Read(flash, 0x30000, 1)[0]);
        Assert.Equal(0x0F, Read(copy, 0x30000, 1)[0]);
    }

    [Fact]
    public void ACopyOfACopyAndADumpSeeTheSameCells()
    {
        var flash = new NorFlash(8 << 20);
        var data = new byte[3 * FlashTiming.SectorSize + 100];
        new Random(5).NextBytes(data);
        flash.Load(0x7FF0, data); // across page boundaries, unaligned
        var second = flash.Copy().Copy();
        Assert.Equal(flash.Dump(), second.Dump());
        Assert.Equal(data, flash.Dump().AsSpan(0x7FF0, data.Length).ToArray());
        Assert.Equal(8 << 20, second.Size);
    }

    [Fact]
    public void ABlockEraseCutPartWayChangesOnlyTheCopyItRanOn()
    {
        var flash = new NorFlash();
        flash.Load(0x10000, new byte[0x10000]); // all zero: an erase has every bit to set
        var copy = flash.Copy();
        copy.ArmPowerCut(new PowerCut(1, 0.5, Seed: 3));
        Assert.Throws<PowerLossException>(() => copy.EraseBlock(0x10000));
        copy.PowerOn();
        var erasedBits = Read(copy, 0x10000, 0x10000).Sum(b => System.Numerics.BitOperations.PopCount(b));
        Assert.InRange(erasedBits, 0x10000 * 8 * 4 / 10, 0x10000 * 8 * 6 / 10);
        Assert.All(Read(flash, 0x10000, 0x10000), b => Assert.Equal(0, b));
    }

    private static byte[] Read(NorFlash flash, uint address, int length)
    {
        var buffer = new byte[length];
        flash.Read(address, buffer);
        return buffer;
    }
}
