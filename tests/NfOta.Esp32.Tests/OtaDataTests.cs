using System.IO.Hashing;
using System.Security.Cryptography;
using NfOta.Esp32.Errors;
using NfOta.Esp32.OtaData;

namespace NfOta.Esp32.Tests;

public class OtaDataTests
{
    /// <summary>ROM CRC with seed 0 is the zlib CRC-32; checked against System.IO.Hashing.</summary>
    [Fact]
    public void RomCrcWithZeroSeedIsZlibCrc()
    {
        for (var length = 0; length < 100; length += 7)
        {
            var data = RandomNumberGenerator.GetBytes(length);
            Assert.Equal(Crc32.HashToUInt32(data), EspRomCrc32.Le(0, data));
        }
    }

    /// <summary>
    /// Expected values from Python, which ESP-IDF's otatool.py uses for the same field:
    /// <c>binascii.crc32(struct.pack('&lt;I', seq), 0xFFFFFFFF)</c>.
    /// </summary>
    [Theory]
    [InlineData(0u, 0xFFFFFFFFu)]
    [InlineData(1u, 0x4743989Au)]
    [InlineData(2u, 0x55F63774u)]
    [InlineData(3u, 0xED4A5011u)]
    [InlineData(4u, 0x709D68A8u)]
    [InlineData(0xFFFFFFFEu, 0x99F8B879u)]
    public void SeqCrcMatchesOtatool(uint seq, uint crc) => Assert.Equal(crc, OtaSelectEntry.CrcOf(seq));

    [Fact]
    public void EntryRoundTripsThroughBytes()
    {
        var entry = OtaSelectEntry.Create(7, OtaImageState.PendingVerify);
        var bytes = entry.ToBytes();
        Assert.Equal(32, bytes.Length);
        Assert.Equal(7, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 24));
        Assert.Equal(OtaSelectEntry.CrcOf(7), BitConverter.ToUInt32(bytes, 28));
        Assert.Equal(Enumerable.Repeat((byte)0xFF, 20), bytes.Skip(4).Take(20));
        Assert.Equal(entry, OtaSelectEntry.Parse(bytes));
    }

    [Fact]
    public void ErasedFlashIsTheErasedEntry()
    {
        var erased = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var entry = OtaSelectEntry.Parse(erased);
        Assert.True(entry.IsErased);
        Assert.True(entry.IsInvalid);
        Assert.False(entry.IsValid);
    }

    [Fact]
    public void FlippedCrcMakesEntryInvalid()
    {
        var entry = OtaSelectEntry.Create(3, OtaImageState.Valid) with { Crc = OtaSelectEntry.CrcOf(3) ^ 1 };
        Assert.False(entry.CrcMatches);
        Assert.False(entry.IsValid);
    }

    [Theory]
    [InlineData(OtaImageState.Invalid)]
    [InlineData(OtaImageState.Aborted)]
    public void RejectedStatesAreNotValid(OtaImageState state) =>
        Assert.False(OtaSelectEntry.Create(5, state).IsValid);

    [Theory]
    [InlineData(OtaImageState.New)]
    [InlineData(OtaImageState.PendingVerify)]
    [InlineData(OtaImageState.Valid)]
    [InlineData(OtaImageState.Undefined)]
    public void OtherStatesAreValid(OtaImageState state) => Assert.True(OtaSelectEntry.Create(5, state).IsValid);

    [Fact]
    public void ActiveEntryIsTheValidOneWithTheLargerSeq()
    {
        var a = OtaSelectEntry.Create(4, OtaImageState.Valid);
        var b = OtaSelectEntry.Create(5, OtaImageState.Valid);
        Assert.Equal(1, new OtaDataSectors(a, b).ActiveIndex);
        Assert.Equal(0, new OtaDataSectors(b, a).ActiveIndex);
        Assert.Equal(0, new OtaDataSectors(a, a).ActiveIndex); // tie: entry 0
        Assert.Equal(0, new OtaDataSectors(a, b with { Crc = 0 }).ActiveIndex);
        Assert.Equal(1, new OtaDataSectors(OtaSelectEntry.Erased, b).ActiveIndex);
        Assert.Equal(0, new OtaDataSectors(a, b.WithState(OtaImageState.Aborted)).ActiveIndex);
        Assert.Equal(-1, OtaDataSectors.Erased.ActiveIndex);
    }

    [Fact]
    public void SectorsAreReadFromBothHalves()
    {
        var partition = Enumerable.Repeat((byte)0xFF, OtaDataSectors.PartitionSize).ToArray();
        OtaSelectEntry.Create(1, OtaImageState.Valid).WriteTo(partition);
        OtaSelectEntry.Create(2, OtaImageState.New).WriteTo(partition.AsSpan(OtaDataSectors.SectorSize));
        var sectors = OtaDataSectors.Parse(partition);
        Assert.Equal(1u, sectors.First.Seq);
        Assert.Equal(2u, sectors.Second.Seq);
        Assert.Equal(1, sectors.ActiveIndex);
        var e = Assert.Throws<Esp32FormatException>(() => OtaDataSectors.Parse(new byte[100]));
        Assert.Equal(FormatError.OtaDataLength, e.Error);
    }

    /// <summary>The worked example in esp_ota_ops.c: seq 5 of 8 slots runs ota_4; to boot ota_7 write seq 8.</summary>
    [Theory]
    [InlineData(5u, 7, 8, 8u)]
    [InlineData(5u, 4, 8, 5u)]
    [InlineData(0u, 0, 2, 1u)]
    [InlineData(1u, 1, 2, 2u)]
    [InlineData(2u, 0, 2, 3u)]
    [InlineData(3u, 1, 2, 4u)]
    [InlineData(10u, 0, 3, 10u)]
    public void SeqForSlotFollowsEspIdf(uint current, int slot, int slots, uint expected)
    {
        var seq = OtaDataSectors.SeqForSlot(current, slot, slots)!.Value;
        Assert.Equal(expected, seq);
        Assert.Equal(slot, (int)((seq - 1) % (uint)slots));
    }

    /// <summary>
    /// Near 0xFFFFFFFF ESP-IDF's 32-bit search wraps past zero and goes on. Each expected value was
    /// checked by running that loop as written (uint32_t arithmetic, compiled with gcc) to its end.
    /// </summary>
    [Theory]
    [InlineData(0xFFFFFFFEu, 0, 2, 0xFFFFFFFFu)] // lands on the empty seq: the entry reads back as erased
    [InlineData(0xFFFFFFFEu, 1, 2, 0xFFFFFFFEu)]
    [InlineData(0xFFFFFFFEu, 0, 3, 0xFFFFFFFFu)] // one wrap
    [InlineData(0xFFFFFFFEu, 1, 3, 0xFFFFFFFEu)]
    [InlineData(0xFFFFFFFDu, 1, 3, 0xFFFFFFFEu)]
    [InlineData(0xFFFFFFFEu, 1, 5, 0xFFFFFFFFu)] // two wraps
    [InlineData(0xFFFFFFF0u, 0, 16, 0xFFFFFFF1u)]
    [InlineData(0xFFFFFFFEu, 14, 16, 0xFFFFFFFFu)]
    public void SeqSearchWrapsAsEspIdfDoes(uint current, int slot, int slots, uint expected)
    {
        Assert.Equal(expected, OtaDataSectors.SeqForSlot(current, slot, slots));
    }

    [Fact]
    public void SeqSearchThatNeverEndsOnTheChipIsNull()
    {
        // 16 divides 2^32: every pass tries the same residues, none reaches 0xFFFFFFFE.
        Assert.Null(OtaDataSectors.SeqForSlot(0xFFFFFFFE, 0, 16));
    }
}
