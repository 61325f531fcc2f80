using System.Text;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>
/// Format 3: an in-field-update package (one MCUboot image for UpdateManager), parsed by the device's
/// parser so an app can take its offer (image type, version, total length, URL) from a signed manifest.
/// </summary>
public sealed class ManifestIfuParseTests
{
    private static readonly string Sha = new('c', 64);

    private static string Body(string image = "deployment", string ifuVersion = "1.2.3+4", string? dependencies = "0:1.5.0+0") =>
        $"nfota-manifest 3\nchip=esp32c3\nversion=1.2.3.4\nifu-image={image}\nifu-version={ifuVersion}\nsize=66211\nsha256={Sha}\nurl=https://u.example/app-1.2.3.4.ifu.bin\n"
        + (dependencies is null ? "" : $"ifu-dependencies={dependencies}\n");

    private static byte[] Signed(string body)
    {
        using var key = ManifestKey.Create();
        return SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
    }

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
    public void APackageGivesWhatUpdateManagerNeeds()
    {
        var m = Parse(Body(dependencies: "0:1.5.0+0,0:1.6.0+7"));
        Assert.Equal(3, m.FormatVersion);
        Assert.True(m.IsIfu);
        Assert.False(m.HasFirmware);
        Assert.False(m.HasApp);
        Assert.Equal("esp32c3", m.Chip);
        Assert.Equal("1.2.3.4", m.Version.Text);
        Assert.Equal(1, m.IfuImageType); // ImageType.Deployment
        Assert.Equal((1, 2, 3, 4u), (m.IfuVersion.Major, m.IfuVersion.Minor, m.IfuVersion.Revision, m.IfuVersion.Build));
        Assert.Equal(66211, m.IfuSize);
        Assert.Equal(Convert.FromHexString(Sha), m.IfuSha256);
        Assert.Equal("https://u.example/app-1.2.3.4.ifu.bin", m.IfuUrl);
        Assert.Equal(["0:1.5.0+0", "0:1.6.0+7"], m.IfuDependencies.Select(d => d.ToString()));
        Assert.Equal(0, m.IfuDependencies[1].ImageId);
        Assert.Equal(7u, m.IfuDependencies[1].MinVersion.Build);
        // Nothing of it reads as a firmware or app part.
        Assert.Equal(0, m.Size);
        Assert.Null(m.Url);

        var clr = Parse(Body(image: "nanoclr", ifuVersion: "255.255.65535+4294967295", dependencies: null));
        Assert.Equal(0, clr.IfuImageType); // ImageType.NanoClr
        Assert.Empty(clr.IfuDependencies);
        Assert.Equal(4294967295u, clr.IfuVersion.Build);
    }

    [Theory]
    [InlineData("ifu-image=deployment\n", "", "\"ifu-image\" is missing")]
    [InlineData("ifu-image=deployment", "ifu-image=app", "ifu-image \"app\" is not nanoclr or deployment")]
    [InlineData("ifu-version=1.2.3+4", "ifu-version=1.2.3", "ifu-version \"1.2.3\" is not an MCUboot version")]
    [InlineData("ifu-version=1.2.3+4", "ifu-version=256.0.0+0", "ifu-version \"256.0.0+0\"")]
    [InlineData("ifu-version=1.2.3+4", "ifu-version=1.2.65536+0", "ifu-version \"1.2.65536+0\"")]
    [InlineData("ifu-version=1.2.3+4", "ifu-version=1.2.3+4294967296", "ifu-version \"1.2.3+4294967296\"")]
    [InlineData("ifu-version=1.2.3+4", "ifu-version=01.2.3+4", "ifu-version \"01.2.3+4\"")]
    [InlineData("ifu-dependencies=0:1.5.0+0", "ifu-dependencies=0 1.5.0+0", "ifu-dependencies is not a list")]
    [InlineData("ifu-dependencies=0:1.5.0+0", "ifu-dependencies=256:1.5.0+0", "ifu-dependencies is not a list")]
    [InlineData("ifu-dependencies=0:1.5.0+0", "ifu-dependencies=0:1.5.0", "ifu-dependencies is not a list")]
    [InlineData("size=66211", "size=0", "size \"0\"")]
    [InlineData("size=66211\n", "", "\"size\" is missing")]
    [InlineData("url=https://u.example/app-1.2.3.4.ifu.bin", "url=ftp://u.example/a", "url \"ftp://u.example/a\" is not an http")]
    [InlineData("version=1.2.3.4", "version=1.2.3+4", "version \"1.2.3+4\" is not numbers joined by dots")]
    public void RefusesWhatItCannotOffer(string from, string to, string expected)
    {
        var e = Fails(Body().Replace(from, to, StringComparison.Ordinal));
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void FormatsOneAndTwoReadIfuKeysAsTheyAlwaysDid()
    {
        // Unknown to formats 1 and 2: signed and ignored, and a format 2 manifest of nothing else has no part.
        var v1 = Parse("nfota-manifest 1\nchip=esp32\nversion=2.0.0\nsecure-version=0\nsize=4096\nsha256=" + Sha + "\nurl=https://u.example/fw.bin\nifu-image=nanoclr\nifu-version=2.0.0+0\n");
        Assert.False(v1.IsIfu);
        Assert.Equal(-1, v1.IfuImageType);
        Assert.Null(v1.IfuVersion);
        Assert.Equal(4096, v1.Size);
        Assert.Equal(0, v1.IfuSize);
        Assert.Contains("describes neither a firmware", Fails("nfota-manifest 2\nchip=esp32\nversion=2.0.0\nifu-image=nanoclr\nifu-version=2.0.0+0\n").Message);
    }
}
