using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Tests;

public class ChipTests
{
    [Theory]
    [InlineData("esp32", 0)]
    [InlineData("ESP32-C3", 5)]
    [InlineData("esp32-s3", 9)]
    [InlineData("esp32c6", 13)]
    public void NamesParse(string name, int id) => Assert.Equal(id, EspChip.Parse(name).ChipId);

    [Fact]
    public void UnknownChipListsTheKnownOnes()
    {
        var e = Assert.Throws<Esp32FormatException>(() => EspChip.Parse("esp8266"));
        Assert.Equal(FormatError.UnknownChip, e.Error);
        Assert.Contains("esp32c3", e.Message);
    }

    [Fact]
    public void BootloaderOffsetsFollowEspIdf()
    {
        Assert.Equal(0x1000u, EspChip.Esp32.BootloaderOffset);
        Assert.Equal(0x0u, EspChip.Esp32C3.BootloaderOffset);
        Assert.Equal(0x0u, EspChip.Esp32S3.BootloaderOffset);
    }

    [Fact]
    public void ErrorCodesAreKebabCase()
    {
        Assert.Equal("partition-overlap", FormatError.PartitionOverlap.ToCode());
        Assert.Equal("key-length", FormatError.KeyLength.ToCode());
    }
}
