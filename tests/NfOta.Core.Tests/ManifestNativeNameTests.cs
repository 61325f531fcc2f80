using System.Text;
using NfOta.Manifest;
using NfOta.Model;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>The device parser takes native assembly names of letters, digits, '.', '_' and '-' only.</summary>
public sealed class ManifestNativeNameTests
{
    private static UpdateManifest Parse(string natives)
    {
        using var key = ManifestKey.Create();
        var body = $"nfota-manifest 2\nchip=esp32\nversion=1.1.0\napp-size=16\napp-sha256={new string('b', 64)}\napp-url=https://u.example/a.app\napp-natives={natives}\n";
        var bytes = SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
        return UpdateManifest.Parse(bytes, bytes.Length);
    }

    [Theory]
    [InlineData("nanoFramework.Runtime.Native:1549C856")]
    [InlineData("System.Device_Gpio-2:00000001,mscorlib:1549C856")]
    public void PlainNamesAreRead(string natives) =>
        Assert.Equal(natives, Parse(natives).AppNatives.Format());

    [Theory]
    [InlineData("Evil Name:1549C856")]
    [InlineData("a/b:1549C856")]
    [InlineData("Evil:min:1549C856")]
    [InlineData("x=y:1549C856")]
    public void OtherCharactersAreRefused(string natives)
    {
        var e = Assert.Throws<OtaException>(() => Parse(natives));
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains("app-natives", e.Message);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("A", true)]
    [InlineData("A\u001b", false)]
    [InlineData("Caf\u00e9", false)]
    public void IsValidNameFollowsTheSameRule(string name, bool valid) =>
        Assert.Equal(valid, NativeAssemblyList.IsValidName(name));
}
