using System.Text;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>The manifest parser the device runs, on good and bad documents (no device needed).</summary>
public sealed class ManifestParseTests
{
    private static readonly string Sha = new('a', 64);

    private static byte[] Signed(string body)
    {
        using var key = ManifestKey.Create();
        return SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
    }

    private static string Body(string? chip = "esp32", string? version = "2.1.0", string? secure = "3", string? size = "1048576", string? sha = null, string? url = "https://u.example/app.bin", string? min = null)
    {
        var lines = new List<string> { ManifestFormat.Header };
        void Add(string key, string? value) { if (value is not null) lines.Add($"{key}={value}"); }
        Add("chip", chip);
        Add("version", version);
        Add("secure-version", secure);
        Add("size", size);
        Add("sha256", sha ?? Sha);
        Add("url", url);
        Add("min-version", min);
        return string.Join('\n', lines) + "\n";
    }

    private static OtaException Fails(byte[] manifest) => Assert.Throws<OtaException>(() => UpdateManifest.Parse(manifest, manifest.Length));

    [Fact]
    public void ParsesEveryField()
    {
        var bytes = Signed(Body(min: "1.5"));
        var manifest = UpdateManifest.Parse(bytes, bytes.Length);
        Assert.Equal("esp32", manifest.Chip);
        Assert.Equal(0, manifest.ChipId);
        Assert.Equal("2.1.0", manifest.Version.Text);
        Assert.Equal(3, manifest.SecureVersion);
        Assert.Equal(1048576, manifest.Size);
        Assert.Equal(Convert.FromHexString(Sha), manifest.Sha256);
        Assert.Equal("https://u.example/app.bin", manifest.Url);
        Assert.Equal("1.5", manifest.MinVersion.Text);
        Assert.Equal(Encoding.ASCII.GetBytes(Body(min: "1.5")).Length, manifest.SignedLength);
        Assert.Equal(64, manifest.Signature.Length);
    }

    [Fact]
    public void AcceptsCrlfLineEndsAndIgnoresUnknownKeys()
    {
        var bytes = Signed(Body().Replace("\n", "\r\n") + "notes=fixes\r\n");
        var manifest = UpdateManifest.Parse(bytes, bytes.Length);
        Assert.Equal("esp32", manifest.Chip);
        Assert.Null(manifest.MinVersion);
    }

    [Theory]
    [InlineData("chip")]
    [InlineData("version")]
    [InlineData("secure-version")]
    [InlineData("size")]
    [InlineData("url")]
    public void AMissingFieldIsNamed(string field)
    {
        var body = string.Join('\n', Body().Split('\n').Where(l => !l.StartsWith(field + "=")));
        var e = Fails(Signed(body));
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Equal("manifest-invalid", e.Code);
        Assert.Contains($"\"{field}\" is missing", e.Message);
    }

    [Theory]
    [InlineData("chip", "esp8266", "chip \"esp8266\" is not one of")]
    [InlineData("version", "2.x", "version \"2.x\" is not numbers")]
    [InlineData("secure-version", "-1", "secure-version \"-1\"")]
    [InlineData("size", "0", "size \"0\" is not a positive")]
    [InlineData("size", "99999999999", "size \"99999999999\"")]
    [InlineData("sha256", "abc", "sha256 is not 64 hex digits")]
    [InlineData("url", "ftp://x/y.bin", "url \"ftp://x/y.bin\" is not an http")]
    [InlineData("min-version", "one", "min-version \"one\"")]
    public void AMalformedFieldIsExplained(string field, string value, string expected)
    {
        var body = field switch
        {
            "chip" => Body(chip: value),
            "version" => Body(version: value),
            "secure-version" => Body(secure: value),
            "size" => Body(size: value),
            "sha256" => Body(sha: value),
            "url" => Body(url: value),
            _ => Body(min: value),
        };
        var e = Fails(Signed(body));
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RefusesDuplicatesOtherFormatsAndNonAscii()
    {
        Assert.Contains("\"size\" appears twice", Fails(Signed(Body() + "size=5\n")).Message);
        Assert.Contains("format \"4\" is not one this firmware reads (it reads 1, 2 and 3)", Fails(Signed(Body().Replace("manifest 1", "manifest 4"))).Message);
        Assert.Contains("not an nf-ota manifest", Fails(Signed("hello\n" + Body())).Message);
        using (var key = ManifestKey.Create())
        {
            byte[] latin1 = [.. Encoding.ASCII.GetBytes(Body() + "notes=caf"), 0xE9, (byte)'\n'];
            Assert.Contains("not printable ASCII", Fails(SignedManifest.SignBody(key, latin1)).Message);
        }
        Assert.Contains("is not key=value", Fails(Signed(Body() + "garbage\n")).Message);
    }

    [Fact]
    public void AnUnsignedOrBadlySignedFormIsAManifestSignatureError()
    {
        var unsigned = Encoding.ASCII.GetBytes(Body());
        Assert.Equal(OtaError.ManifestSignature, Fails(unsigned).Error);
        var shortSignature = Encoding.ASCII.GetBytes(Body() + "signature=abcd\n");
        Assert.Equal(OtaError.ManifestSignature, Fails(shortSignature).Error);
        Assert.Equal(OtaError.ManifestInvalid, Fails([]).Error);
        Assert.Contains("longer than 4096", Fails(Signed(Body() + "notes=" + new string('x', 5000) + "\n")).Message);
    }
}
