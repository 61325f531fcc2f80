using System.Text;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>encrypted-sha256: the device parser reads it beside encrypted-size, and manifests without it stay valid.</summary>
public sealed class ManifestEncryptedSha256Tests
{
    private const int Size = 4096;

    private static string Body(string extra) =>
        $"nfota-manifest 2\nchip=esp32\nversion=2.0.0\nsecure-version=0\nsize={Size}\nsha256={new string('a', 64)}\nurl=https://u.example/fw.enc.bin\n" + extra;

    private static UpdateManifest Parse(string body)
    {
        using var key = ManifestKey.Create();
        var bytes = SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
        return UpdateManifest.Parse(bytes, bytes.Length);
    }

    [Fact]
    public void ItIsReadBesideEncryptedSize()
    {
        var digest = Enumerable.Range(0, 32).Select(i => (byte)(i * 5)).ToArray();
        var m = Parse(Body($"encrypted-size={Size + 512}\nencrypted-sha256={Convert.ToHexStringLower(digest)}\n"));
        Assert.True(m.IsEncrypted);
        Assert.Equal(digest, m.EncryptedSha256);
    }

    [Fact]
    public void WithoutItAManifestStaysValid()
    {
        var m = Parse(Body($"encrypted-size={Size + 512}\n"));
        Assert.True(m.IsEncrypted);
        Assert.Null(m.EncryptedSha256);
    }

    [Theory]
    [InlineData("encrypted-sha256=" + "ab" + "\n")]                                   // no encrypted-size
    [InlineData("encrypted-size=4608\nencrypted-sha256=abcd\n")]                        // not 64 hex digits
    [InlineData("encrypted-size=4608\nencrypted-sha256=" + "zz" + "00000000000000000000000000000000000000000000000000000000000000" + "\n")]
    public void AMalformedOneIsRefused(string extra)
    {
        var e = Assert.Throws<OtaException>(() => Parse(Body(extra.Replace("=ab\n", "=" + new string('a', 64) + "\n", StringComparison.Ordinal))));
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains("encrypted-sha256", e.Message);
    }
}
