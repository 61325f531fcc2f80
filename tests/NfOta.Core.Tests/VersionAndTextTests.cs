using NfOta.Model;
using NfOta.Text;

namespace NfOta.Core.Tests;

public sealed class VersionAndTextTests
{
    [Theory]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("1.10.0", "1.9.9", 1)]
    [InlineData("2.0", "2.0.0", 0)]
    [InlineData("2.0.0.1", "2.0.0", 1)]
    [InlineData("10.0.0", "9.99.99", 1)]
    public void ComparesNumerically(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(FirmwareVersion.TryParse(a).CompareTo(FirmwareVersion.TryParse(b))));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..2")]
    [InlineData("v1.2")]
    [InlineData("1.2-beta")]
    [InlineData("1.99999999999")]
    public void RefusesWhatIsNotAVersion(string text) => Assert.Null(FirmwareVersion.TryParse(text));

    [Fact]
    public void HexRoundTripsAndRefusesBadDigits()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var text = Hex.Encode(bytes);
        Assert.Equal(Convert.ToHexStringLower(bytes), text);
        Assert.Equal(bytes, Hex.Decode(text, 256));
        Assert.Equal(bytes, Hex.Decode(text.ToUpperInvariant(), 256));
        Assert.Null(Hex.Decode(text, 255));
        Assert.Null(Hex.Decode("0g", 1));
        Assert.Equal("0x00001102", Hex.Word(0x1102));
    }

    [Theory]
    [InlineData("esp32", 0)]
    [InlineData("esp32c3", 5)]
    [InlineData("esp32s3", 9)]
    [InlineData("esp32h2", 16)]
    [InlineData("esp8266", -1)]
    public void ChipsByName(string name, int id) => Assert.Equal(id, Chips.IdOf(name));
}
