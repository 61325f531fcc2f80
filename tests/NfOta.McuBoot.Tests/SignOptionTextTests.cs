using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Tests;

/// <summary>--version and --dependencies read as imgtool's version.py and main.py read them.</summary>
public sealed class SignOptionTextTests
{
    [Theory]
    [InlineData("1", "1.0.0+0")]
    [InlineData("1.2", "1.2.0+0")]
    [InlineData("1.2.3", "1.2.3+0")]
    [InlineData("1.2.3+4", "1.2.3+4")]
    [InlineData("255.255.65535+4294967295", "255.255.65535+4294967295")]
    public void Versions(string text, string read) => Assert.Equal(read, ImageVersion.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("01.0.0")]
    [InlineData("1.2+3")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.0.0")]
    [InlineData("256.0.0")]
    [InlineData("1.0.65536")]
    [InlineData("1.0.0+4294967296")]
    public void Not_versions(string text) => Assert.Throws<FormatException>(() => ImageVersion.Parse(text));

    [Theory]
    [InlineData("(0,1.5.0+0)", "(0, 1.5.0+0)")]
    [InlineData("(0, 1.5.0)", "(0, 1.5.0+0)")]
    [InlineData("(0,1.5.0+0), (1,2.0.0)", "(0, 1.5.0+0) (1, 2.0.0+0)")]
    public void Dependencies(string text, string read) =>
        Assert.Equal(read, string.Join(' ', ImageDependency.ParseList(text)));

    [Theory]
    [InlineData("0,1.5.0")]
    [InlineData("(0)")]
    [InlineData("(0,1.5.0), (1)")]
    [InlineData("(256,1.0.0)")]
    [InlineData("(0,1..0)")]
    public void Not_dependencies(string text) => Assert.Throws<FormatException>(() => ImageDependency.ParseList(text));
}
