using System.Security.Cryptography;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Partitions;

namespace NfOta.Esp32.Tests;

public class PartitionTableTests
{
    /// <summary>ESP-IDF's "Factory app, two OTA definitions" table (partitions_two_ota.csv).</summary>
    public const string TwoOta = """
        # Name,   Type, SubType, Offset,   Size, Flags
        nvs,      data, nvs,     0x9000,  0x4000,
        otadata,  data, ota,     0xd000,  0x2000,
        phy_init, data, phy,     0xf000,  0x1000,
        factory,  app,  factory, 0x10000,  1M,
        ota_0,    app,  ota_0,   0x110000, 1M,
        ota_1,    app,  ota_1,   0x210000, 1M,
        """;

    [Fact]
    public void CsvParsesIntoTheRightEntries()
    {
        var table = PartitionTableCsv.Parse(TwoOta);
        PartitionTableValidator.Validate(table);
        Assert.Equal(6, table.Count);
        Assert.Equal(new PartitionEntry("otadata", 1, 0, 0xD000, 0x2000), table.OtaData);
        Assert.Equal(["ota_0", "ota_1"], table.OtaSlots.Select(s => s.Name));
        Assert.Equal(0x110000u, table.OtaSlots[0].Offset);
        Assert.Equal(0x100000u, table.OtaSlots[1].Size);
        Assert.Equal("factory", table.Factory!.Name);
    }

    [Fact]
    public void BinaryLayoutIsEspIdfs()
    {
        var table = PartitionTableCsv.Parse(TwoOta);
        var binary = PartitionTableBinary.Serialize(table);
        Assert.Equal(0xC00, binary.Length);
        for (var i = 0; i < table.Count; i++)
        {
            var raw = binary.AsSpan(i * 32, 32);
            Assert.Equal(0xAA, raw[0]);
            Assert.Equal(0x50, raw[1]);
            Assert.Equal(table[i].Type, raw[2]);
            Assert.Equal(table[i].Subtype, raw[3]);
            Assert.Equal(table[i].Offset, BitConverter.ToUInt32(binary, i * 32 + 4));
            Assert.Equal(table[i].Size, BitConverter.ToUInt32(binary, i * 32 + 8));
            Assert.Equal(table[i].Name, System.Text.Encoding.UTF8.GetString(raw.Slice(12, 16)).TrimEnd('\0'));
        }
        var md5 = binary.AsSpan(6 * 32, 32);
        Assert.Equal(new byte[] { 0xEB, 0xEB }, md5[..2].ToArray());
        Assert.True(md5[2..16].ToArray().All(b => b == 0xFF));
        Assert.Equal(MD5.HashData(binary.AsSpan(0, 6 * 32)), md5[16..].ToArray());
        Assert.True(binary.Skip(7 * 32).All(b => b == 0xFF));
    }

    [Fact]
    public void CsvToBinaryToCsvRoundTrips()
    {
        var table = PartitionTableCsv.Parse(TwoOta);
        var binary = PartitionTableBinary.Serialize(table);
        var csv = PartitionTableCsv.Format(PartitionTableBinary.Parse(binary));
        Assert.Equal("""
            # ESP-IDF Partition Table
            # Name, Type, SubType, Offset, Size, Flags
            nvs,data,nvs,0x9000,16K,
            otadata,data,ota,0xd000,8K,
            phy_init,data,phy,0xf000,4K,
            factory,app,factory,0x10000,1M,
            ota_0,app,ota_0,0x110000,1M,
            ota_1,app,ota_1,0x210000,1M,

            """.ReplaceLineEndings("\n"), csv);
        Assert.Equal(binary, PartitionTableBinary.Serialize(PartitionTableCsv.Parse(csv)));
    }

    [Fact]
    public void MissingOffsetsAreFilledWithTypeAlignment()
    {
        var table = PartitionTableCsv.Parse("""
            nvs,      data, nvs,     ,  0x6000,
            otadata,  data, ota,     ,  0x2000,
            phy_init, data, phy,     ,  0x1000,
            ota_0,    app,  ota_0,   ,  0x100000,
            ota_1,    app,  ota_1,   ,  0x100000,
            storage,  data, spiffs,  ,  64K, encrypted:readonly
            """);
        PartitionTableValidator.Validate(table);
        Assert.Equal([0x9000u, 0xF000u, 0x11000u, 0x20000u, 0x120000u, 0x220000u], table.Select(e => e.Offset));
        Assert.True(table[5].Encrypted);
        Assert.True(table[5].ReadOnly);
        Assert.EndsWith("storage,data,spiffs,0x220000,64K,encrypted:readonly\n", PartitionTableCsv.Format(table));
    }

    [Theory]
    [InlineData("0x1000", 0x1000)]
    [InlineData("4096", 4096)]
    [InlineData("4K", 4096)]
    [InlineData("4k", 4096)]
    [InlineData("1M", 0x100000)]
    [InlineData("0o10", 8)]
    [InlineData("0b101", 5)]
    [InlineData("1_000", 1000)]
    [InlineData("-0x1000", -4096)]
    public void NumbersParseLikePython(string text, long expected)
    {
        Assert.True(PartitionTableCsv.TryParseInteger(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("010")]
    [InlineData("12abc")]
    [InlineData("kkkkkkkkk1")]
    [InlineData("1mmmmmmmmmmmm")]
    public void BadNumbersAreRejected(string text) => Assert.False(PartitionTableCsv.TryParseInteger(text, out _));

    [Fact]
    public void OverlapIsRejected()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("""
            a, data, nvs, 0x9000, 0x4000,
            b, data, nvs, 0xa000, 0x1000,
            """));
        Assert.Equal(FormatError.PartitionOverlap, e.Error);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void OverlapFoundByValidatorOnBinaryTables()
    {
        var table = new PartitionTable([new("a", 1, 2, 0x9000, 0x4000), new("b", 1, 1, 0xA000, 0x1000)]);
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableValidator.Validate(table));
        Assert.Equal(FormatError.PartitionOverlap, e.Error);
        Assert.Contains("overlaps 'a'", e.Message);
    }

    [Fact]
    public void PartitionInsideTheTableIsRejected()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("nvs, data, nvs, 0x8000, 0x1000,"));
        Assert.Equal(FormatError.PartitionOverlap, e.Error);
    }

    [Fact]
    public void AppMustBe64KAligned()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("factory, app, factory, 0x11000, 1M,"));
        Assert.Equal(FormatError.PartitionMisaligned, e.Error);
        Assert.Contains("64 KiB", e.Message);
    }

    [Fact]
    public void DataMustBe4KAligned()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("nvs, data, nvs, 0x9100, 0x1000,"));
        Assert.Equal(FormatError.PartitionMisaligned, e.Error);
    }

    [Fact]
    public void AppSizeMustBeWholeSectors()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("factory, app, factory, 0x10000, 0x10800,"));
        Assert.Equal(FormatError.PartitionMisaligned, e.Error);
    }

    [Fact]
    public void OnlyOneOtadata()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("""
            otadata,  data, ota, 0xd000, 0x2000,
            otadata2, data, ota, 0xf000, 0x2000,
            """));
        Assert.Equal(FormatError.PartitionOtadataDuplicate, e.Error);
    }

    [Fact]
    public void OtadataIsTwoSectors()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("otadata, data, ota, 0xd000, 0x1000,"));
        Assert.Equal(FormatError.PartitionOtadataSize, e.Error);
    }

    [Fact]
    public void NamesAreUnique()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("""
            nvs, data, nvs, 0x9000, 0x3000,
            nvs, data, nvs, 0xc000, 0x3000,
            """));
        Assert.Equal(FormatError.PartitionDuplicateName, e.Error);
    }

    [Fact]
    public void LongNamesAreRejectedNotCut()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("a_very_long_partition_name, data, nvs, 0x9000, 0x1000,"));
        Assert.Equal(FormatError.PartitionNameInvalid, e.Error);
        Validated("exactly16bytes__, data, nvs, 0x9000, 0x3000,");
    }

    [Fact]
    public void OtadataCannotBeReadonly()
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated("otadata, data, ota, 0xd000, 0x2000, readonly"));
        Assert.Equal(FormatError.PartitionReadonlyNotAllowed, e.Error);
    }

    [Theory]
    [InlineData("nvs, datax, nvs, 0x9000, 0x1000,", FormatError.PartitionUnknownKeyword)]
    [InlineData("nvs, data, nvsx, 0x9000, 0x1000,", FormatError.PartitionUnknownKeyword)]
    [InlineData("nvs, data, nvs, 0x9000, 0x1000, secret", FormatError.PartitionUnknownKeyword)]
    [InlineData("nvs, data, nvs, 0x9000, ,", FormatError.PartitionCsvSyntax)]
    [InlineData("nvs, , nvs, 0x9000, 0x1000,", FormatError.PartitionCsvSyntax)]
    [InlineData("app0, app, , 0x10000, 0x10000,", FormatError.PartitionCsvSyntax)]
    [InlineData("nvs, data, nvs, $OFFSET, 0x1000,", FormatError.PartitionCsvSyntax)]
    [InlineData("nvs, data, 300, 0x9000, 0x1000,", FormatError.PartitionCsvSyntax)]
    [InlineData("nvs, data, nvs, 0x9000, 0x1000, , extra", FormatError.PartitionCsvSyntax)]
    public void CsvErrorsHaveCodes(string csv, FormatError error)
    {
        var e = Assert.Throws<Esp32FormatException>(() => Validated(csv));
        Assert.Equal(error, e.Error);
        Assert.StartsWith("line 1:", e.Message);
    }

    [Fact]
    public void NumericTypesAndSubtypesAreKept()
    {
        var table = Validated("custom, 0x40, 0x12, 0x9000, 0x1000,");
        Assert.Equal(0x40, table[0].Type);
        Assert.Equal(0x12, table[0].Subtype);
        Assert.StartsWith("custom,64,18,", PartitionTableCsv.Format(table).Split('\n')[2]);
    }

    [Fact]
    public void FlippedMd5IsDetected()
    {
        var binary = PartitionTableBinary.Serialize(PartitionTableCsv.Parse(TwoOta));
        binary[6 * 32 + 20] ^= 1;
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary));
        Assert.Equal(FormatError.PartitionMd5Mismatch, e.Error);
    }

    [Fact]
    public void ChangedEntryBreaksTheMd5()
    {
        var binary = PartitionTableBinary.Serialize(PartitionTableCsv.Parse(TwoOta));
        binary[32 + 4] ^= 0x10; // otadata offset
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary));
        Assert.Equal(FormatError.PartitionMd5Mismatch, e.Error);
    }

    [Fact]
    public void WrongMagicIsDetected()
    {
        var binary = PartitionTableBinary.Serialize(PartitionTableCsv.Parse(TwoOta));
        binary[64] = 0x12;
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary));
        Assert.Equal(FormatError.PartitionBadMagic, e.Error);
        Assert.Contains("entry 2", e.Message);
    }

    [Fact]
    public void MissingEndMarkerIsDetected()
    {
        var binary = PartitionTableBinary.Serialize(PartitionTableCsv.Parse(TwoOta));
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary.AsSpan(0, 7 * 32)));
        Assert.Equal(FormatError.PartitionNoEndMarker, e.Error);
        e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary.AsSpan(0, 7 * 32 - 5)));
        Assert.Equal(FormatError.PartitionTableLength, e.Error);
    }

    [Fact]
    public void Md5CanBeRequired()
    {
        var binary = PartitionTableBinary.Serialize(PartitionTableCsv.Parse(TwoOta));
        binary.AsSpan(6 * 32, 32).Fill(0xFF); // drop the MD5 entry
        Assert.Equal(6, PartitionTableBinary.Parse(binary).Count);
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Parse(binary, requireMd5: true));
        Assert.Equal(FormatError.PartitionMd5Mismatch, e.Error);
    }

    [Fact]
    public void TooManyEntriesDoNotFit()
    {
        var entries = Enumerable.Range(0, 95).Select(i => new PartitionEntry($"p{i}", 1, 2, 0x9000u + (uint)i * 0x1000, 0x1000));
        var e = Assert.Throws<Esp32FormatException>(() => PartitionTableBinary.Serialize(new PartitionTable(entries)));
        Assert.Equal(FormatError.PartitionTableTooLong, e.Error);
        PartitionTableBinary.Serialize(new PartitionTable(entries.Take(94)));
    }

    [Fact]
    public void RandomBytesNeverThrowAnythingButFormatErrors()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            if (data.Length > 2 && random.Next(2) == 0) { data[0] = 0xAA; data[1] = 0x50; }
            try
            {
                PartitionTableBinary.Parse(data);
            }
            catch (Esp32FormatException)
            {
            }
        }
    }

    private static PartitionTable Validated(string csv)
    {
        var table = PartitionTableCsv.Parse(csv);
        PartitionTableValidator.Validate(table);
        return table;
    }
}
