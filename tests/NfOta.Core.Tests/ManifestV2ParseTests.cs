using System.Text;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>Format 2: a release of a firmware, an app, or both, parsed by the device's parser.</summary>
public sealed class ManifestV2ParseTests
{
    private static readonly string Sha = new('b', 64);

    private static byte[] Signed(string body)
    {
        using var key = ManifestKey.Create();
        return SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
    }

    private const string Firmware = "secure-version=1\nsize=4096\nsha256=" + "aa" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\nurl=https://u.example/fw.bin\n";

    private static string App(string natives = "mscorlib:1549C856,NfOta.Interop:59A9024B") =>
        $"app-size=2048\napp-sha256={Sha}\napp-url=https://u.example/app.app\napp-natives={natives}\n";

    private static UpdateManifest Parse(string body)
    {
        var bytes = Signed(body);
        return UpdateManifest.Parse(bytes, bytes.Length);
    }

    private static OtaException Fails(string body)
    {
        var bytes = Signed(body);
        return Assert.Throws<OtaException>(() => UpdateManifest.Parse(bytes, bytes.Length));
    }

    [Fact]
    public void AnAppOnlyReleaseHasNoFirmwarePart()
    {
        var m = Parse("nfota-manifest 2\nchip=esp32\nversion=1.1.0\n" + App());
        Assert.Equal(2, m.FormatVersion);
        Assert.False(m.HasFirmware);
        Assert.True(m.HasApp);
        Assert.Equal(2048, m.AppSize);
        Assert.Equal(Convert.FromHexString(Sha), m.AppSha256);
        Assert.Equal("https://u.example/app.app", m.AppUrl);
        Assert.Equal(2, m.AppNatives.Count);
        Assert.Equal("NfOta.Interop", m.AppNatives.NameAt(1));
        Assert.Equal(0x59A9024Bu, m.AppNatives.ChecksumAt(1));
        Assert.Null(m.FirmwareNatives);
    }

    [Fact]
    public void AFirmwareAndAppReleaseCarriesBothAndTheFirmwaresTable()
    {
        var m = Parse("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware + "firmware-natives=mscorlib:1549C856\n" + App("mscorlib:1549C856"));
        Assert.True(m.HasFirmware);
        Assert.True(m.HasApp);
        Assert.Equal(4096, m.Size);
        Assert.Equal(1, m.SecureVersion);
        Assert.Equal("mscorlib", m.FirmwareNatives.NameAt(0));
        Assert.Null(m.FirmwareNatives.Mismatch(m.AppNatives));
    }

    [Fact]
    public void AppKeysInAVersion1ManifestAreIgnored()
    {
        var m = Parse("nfota-manifest 1\nchip=esp32\nversion=2.0.0\n" + Firmware + App());
        Assert.False(m.HasApp);
        Assert.True(m.HasFirmware);
    }

    [Theory]
    [InlineData("", "describes neither a firmware")]
    [InlineData("app-size=2048\n", "\"app-sha256\" is missing")]
    [InlineData("app-size=0\napp-sha256=" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\napp-url=https://u.example/a\napp-natives=\n", "app-size \"0\"")]
    [InlineData("app-size=16\napp-sha256=bb\napp-url=https://u.example/a\napp-natives=\n", "app-sha256 is not 64 hex digits")]
    [InlineData("app-size=16\napp-sha256=" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\napp-url=ftp://u.example/a\napp-natives=\n", "app-url \"ftp://u.example/a\" is not an http")]
    [InlineData("app-size=16\napp-sha256=" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\napp-url=https://u.example/a\n", "\"app-natives\" is missing")]
    [InlineData("app-size=16\napp-sha256=" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\napp-url=https://u.example/a\napp-natives=mscorlib:XYZ\n", "app-natives is not a list")]
    [InlineData("size=4096\n", "\"secure-version\" is missing")]
    public void RefusesIncompleteParts(string parts, string expected)
    {
        var e = Fails("nfota-manifest 2\nchip=esp32\nversion=1.1.0\n" + parts);
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void FirmwareNativesNeedAFirmware()
    {
        Assert.Contains("firmware-natives", Fails("nfota-manifest 2\nchip=esp32\nversion=1.1.0\n" + App() + "firmware-natives=mscorlib:1549C856\n").Message);
    }

    [Fact]
    public void MismatchNamesTheMissingOrDifferentChecksum()
    {
        var firmware = Model.NativeAssemblyList.Parse("mscorlib:1549C856,NfOta.Interop:59A9024B");
        Assert.Contains("firmware's is 0x59A9024B", firmware.Mismatch(Model.NativeAssemblyList.Parse("NfOta.Interop:59A9024C")));
        Assert.Contains("no native System.Device.Gpio", firmware.Mismatch(Model.NativeAssemblyList.Parse("System.Device.Gpio:00000001")));
        Assert.Null(firmware.Mismatch(Model.NativeAssemblyList.Parse("mscorlib:1549c856")));
        Assert.Equal("mscorlib:1549C856,NfOta.Interop:59A9024B", firmware.Format());
    }

    private static string Blocks(int count, string size = "4096") => $"block-size={size}\nblock-sha256={string.Concat(Enumerable.Range(0, count).Select(i => new string((char)('a' + i % 6), 64)))}\n";

    [Fact]
    public void AFirmwareCarriesTheSha256OfEachBlock()
    {
        var m = Parse("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware + Blocks(1));
        Assert.Equal(4096, m.BlockSize);
        Assert.Equal(1, m.BlockCount);
        Assert.Equal(Convert.FromHexString(new string('a', 64)), m.BlockSha256);
        Assert.Equal(0, Parse("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware).BlockSize);
    }

    [Theory]
    [InlineData(2, "4096", "is not 1 SHA-256 digests")]
    [InlineData(1, "1000", "is not a positive multiple of 4096")]
    public void RefusesBlockHashesThatDoNotFitTheImage(int count, string size, string expected)
    {
        Assert.Contains(expected, Fails("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware + Blocks(count, size)).Message);
    }

    [Fact]
    public void RefusesMoreBlocksThanTheDeviceKeeps()
    {
        var big = Firmware.Replace("size=4096", "size=" + (33 * 4096));
        Assert.Contains("at most 32", Fails("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + big + Blocks(33)).Message);
        Assert.Contains("describe a firmware image", Fails("nfota-manifest 2\nchip=esp32\nversion=1.1.0\n" + App() + Blocks(1)).Message);
    }

    [Fact]
    public void APreEncryptedFirmwareIsDownloadedAsHeaderAndCiphertextButDescribedByItsPlaintext()
    {
        var m = Parse("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware + "encrypted-size=4608\n");
        Assert.True(m.IsEncrypted);
        Assert.Equal(4608, m.EncryptedSize);
        Assert.Equal(4096, m.Size);
        Assert.False(Parse("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware).IsEncrypted);
    }

    [Theory]
    [InlineData("encrypted-size=4096\n")]      // no room for the 512-byte header
    [InlineData("encrypted-size=4609\n")]      // GCM adds nothing but the header
    [InlineData("encrypted-size=x\n")]
    public void AnEncryptedSizeThatIsNotTheImagePlusItsHeaderIsRefused(string line)
    {
        var e = Fails("nfota-manifest 2\nchip=esp32\nversion=2.0.0\n" + Firmware + line);
        Assert.Contains("encrypted-size", e.Message);
    }

    [Fact]
    public void EncryptedSizeNeedsAFirmware()
    {
        Assert.Contains("encrypted-size", Fails("nfota-manifest 2\nchip=esp32\nversion=1.1.0\n" + App() + "encrypted-size=4608\n").Message);
    }

    [Fact]
    public void EncryptedSizeInAVersion1ManifestIsIgnored()
    {
        // Format 1 devices never learnt it: such a manifest names a plain image.
        Assert.False(Parse("nfota-manifest 1\nchip=esp32\nversion=2.0.0\n" + Firmware + "encrypted-size=4608\n").IsEncrypted);
    }
}
