using NfOta.Emulator.Flash;

namespace NfOta.Emulator.Tests;

public class NorFlashTests
{
    [Fact]
    public void StartsErasedAndProgramsClearBitsOnly()
    {
        var flash = new NorFlash();
        var buffer = new byte[4];
        flash.Read(0x1000, buffer);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, buffer);
        flash.Program(0x1000, new byte[] { 0xF0, 0x0F, 0xAA, 0x55 });
        flash.Program(0x1000, new byte[] { 0xFF, 0xFF, 0x0F, 0x55 });
        flash.Read(0x1000, buffer);
        Assert.Equal(new byte[] { 0xF0, 0x0F, 0x0A, 0x55 }, buffer);
        // Every byte whose stored value differs from the one asked for: 1 bits cannot come back without an erase.
        Assert.Equal([0x1000u, 0x1001u, 0x1002u], flash.Violations.Select(v => v.Address));
        Assert.Equal(0x0A, flash.Violations[2].Stored);
    }

    [Fact]
    public void EraseRestoresWholeSectorsAndBlocks()
    {
        var flash = new NorFlash();
        flash.Program(0x10000, new byte[256]);
        flash.Program(0x11000, new byte[256]);
        flash.EraseSector(0x10000);
        var b = new byte[1];
        flash.Read(0x10000, b);
        Assert.Equal(0xFF, b[0]);
        flash.Read(0x11000, b);
        Assert.Equal(0x00, b[0]);
        flash.EraseBlock(0x10000);
        flash.Read(0x11000, b);
        Assert.Equal(0xFF, b[0]);
        Assert.Throws<ArgumentException>(() => flash.EraseSector(0x10800));
    }

    [Fact]
    public void ProgramsMayNotCrossAPage()
    {
        var flash = new NorFlash();
        Assert.Throws<ArgumentException>(() => flash.Program(0xF0, new byte[32]));
        flash.Program(0xE0, new byte[32]);
    }

    [Fact]
    public void OnlyRealSizesAreOffered()
    {
        Assert.Throws<ArgumentException>(() => new NorFlash(3 << 20));
        Assert.Equal(16 << 20, new NorFlash(16 << 20).Size);
    }

    [Fact]
    public void EveryOperationIsLoggedAndTimed()
    {
        var timing = FlashTiming.Default;
        var flash = new NorFlash(timing: timing);
        flash.EraseSector(0);
        flash.Program(0, new byte[256]);
        flash.Read(0, new byte[4096]);
        Assert.Equal([FlashOperationKind.EraseSector, FlashOperationKind.Program, FlashOperationKind.Read], flash.Log.Select(o => o.Kind));
        Assert.Equal(timing.Erase(FlashOperationKind.EraseSector) + timing.Program(256) + timing.Read(4096), flash.Elapsed);
        Assert.Equal(2, flash.MutationCount);
    }

    [Fact]
    public void TimingFollowsTheDatasheet()
    {
        var t = FlashTiming.Default;
        Assert.Equal(TimeSpan.FromMilliseconds(45), t.SectorErase);
        Assert.True(t.Program(256) > t.Program(32));
        Assert.True(t.Program(256) - t.PageProgram < TimeSpan.FromMicroseconds(60)); // bus time on top of tPP
        // 128 KiB from scratch: two block erases and 512 page programs.
        Assert.Equal(2 * t.Erase(FlashOperationKind.EraseBlock) + 512 * t.Program(256), t.MinimumWriteTime(128 * 1024));
        // 5 KiB: two sector erases (no whole block), 20 pages.
        Assert.Equal(2 * t.Erase(FlashOperationKind.EraseSector) + 20 * t.Program(256), t.MinimumWriteTime(5 * 1024));
    }

    [Fact]
    public void PowerCutAfterAnOperationCompletesItThenStops()
    {
        var flash = new NorFlash();
        flash.ArmPowerCut(new PowerCut(2));
        flash.Program(0, new byte[] { 1 });
        var lost = Assert.Throws<PowerLossException>(() => flash.Program(1, new byte[] { 2 }));
        Assert.False(lost.Operation.Interrupted);
        Assert.False(flash.Powered);
        Assert.Throws<InvalidOperationException>(() => flash.Read(0, new byte[1]));
        flash.PowerOn();
        var b = new byte[2];
        flash.Read(0, b);
        Assert.Equal(new byte[] { 1, 2 }, b);
    }

    private static int ZeroBits(ReadOnlySpan<byte> bytes)
    {
        var zeros = 0;
        foreach (var b in bytes) zeros += 8 - System.Numerics.BitOperations.PopCount(b);
        return zeros;
    }

    private static byte[] InterruptedProgram(double fraction, int seed)
    {
        var flash = new NorFlash();
        flash.Program(0, [0x0F]); // bits 4-7 already cleared: they must stay cleared
        flash.ArmPowerCut(new PowerCut(1, fraction, seed));
        var lost = Assert.Throws<PowerLossException>(() => flash.Program(0, new byte[256]));
        Assert.True(lost.Operation.Interrupted);
        flash.PowerOn();
        var b = new byte[257];
        flash.Read(0, b);
        return b;
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void PowerCutDuringAProgramLeavesIndeterminateBitsAcrossThePage(double fraction)
    {
        var b = InterruptedProgram(fraction, seed: 1);
        Assert.Equal(0, b[0] & 0xF0); // bits 4-7 were already 0 and stay 0
        Assert.Equal(0xFF, b[256]); // outside the program: untouched
        // About `fraction` of the 2044 bits being cleared have cleared, spread over the whole page.
        var cleared = ZeroBits(b.AsSpan(0, 256)) - 4;
        Assert.InRange(cleared, (int)(2044 * fraction) - 120, (int)(2044 * fraction) + 120);
        Assert.True(b[200..256].Any(x => x != 0xFF) && b[0..56].Any(x => x != 0x00), "not a prefix: the whole page is unsettled");
    }

    [Fact]
    public void TheSameCutLeavesTheSameBitsAndAnotherSeedOthers()
    {
        Assert.Equal(InterruptedProgram(0.5, seed: 7), InterruptedProgram(0.5, seed: 7));
        Assert.NotEqual(InterruptedProgram(0.5, seed: 7), InterruptedProgram(0.5, seed: 8));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void PowerCutDuringAnEraseLeavesTheWholeSectorPartlyErased(double fraction)
    {
        var flash = new NorFlash();
        for (uint page = 0x2000; page < 0x3000; page += 256) flash.Program(page, new byte[256]);
        flash.Program(0x3000, new byte[16]);
        flash.ArmPowerCut(new PowerCut(1, fraction, Seed: 3));
        Assert.Throws<PowerLossException>(() => flash.EraseSector(0x2000));
        flash.PowerOn();
        var sector = new byte[0x1000];
        flash.Read(0x2000, sector);
        var set = 0x8000 - ZeroBits(sector);
        Assert.InRange(set, (int)(0x8000 * fraction) - 400, (int)(0x8000 * fraction) + 400);
        Assert.True(sector[..256].Any(x => x != 0xFF) && sector[^256..].Any(x => x != 0x00), "not a prefix: the whole sector is unsettled");
        var next = new byte[16];
        flash.Read(0x3000, next);
        Assert.All(next, x => Assert.Equal(0, x)); // the next sector is not touched
    }

    [Fact]
    public void AnInterruptedProgramThatSettledEveryBitIsToldApartFromOneThatDidNot()
    {
        // One bit to clear: at 99.99 % it has almost surely cleared (the flash holds the completed
        // program), at 1 % almost surely not. The seeds are fixed, so both outcomes are certain here.
        bool Settled(double fraction)
        {
            var flash = new NorFlash();
            flash.ArmPowerCut(new PowerCut(1, fraction, Seed: 5));
            var lost = Assert.Throws<PowerLossException>(() => flash.Program(0, [0xFE]));
            Assert.Same(lost, flash.LastPowerLoss);
            Assert.True(lost.Operation.Interrupted);
            flash.PowerOn();
            var b = new byte[1];
            flash.Read(0, b);
            Assert.Equal(lost.EveryBitSettled, b[0] == 0xFE);
            Assert.Equal(lost.EveryBitSettled ? 1.0 : fraction, lost.AsExperienced.Fraction);
            return lost.EveryBitSettled;
        }
        Assert.True(Settled(0.9999));
        Assert.False(Settled(0.01));
    }

    [Theory]
    [InlineData(new byte[] { 0xFE }, 0.9999, true)] // one bit to set, almost surely set (certain for this seed)
    [InlineData(new byte[] { 0x00, 0x00 }, 0.5, false)] // sixteen bits at even odds: not all set for this seed
    public void AnInterruptedEraseSettledOnlyWhenEveryBitOfTheSectorIsOne(byte[] programmed, double fraction, bool settled)
    {
        var flash = new NorFlash();
        flash.Program(0x1000, programmed);
        flash.ArmPowerCut(new PowerCut(1, fraction, Seed: 9));
        var lost = Assert.Throws<PowerLossException>(() => flash.EraseSector(0x1000));
        flash.PowerOn();
        var sector = new byte[0x1000];
        flash.Read(0x1000, sector);
        Assert.Equal(sector.All(x => x == 0xFF), lost.EveryBitSettled);
        Assert.Equal(settled, lost.EveryBitSettled);
    }
}
