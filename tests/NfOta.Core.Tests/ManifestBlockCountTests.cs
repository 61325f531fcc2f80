using System.Text;
using NfOta.Manifest;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>The device parser's block count for images near 2 GiB, where size + block-size - 1 overflows.</summary>
public sealed class ManifestBlockCountTests
{
    private static OtaException Fails(int size, int blockSize)
    {
        using var key = ManifestKey.Create();
        var body = $"nfota-manifest 2\nchip=esp32\nversion=2.0.0\nsecure-version=0\nsize={size}\nsha256={new string('a', 64)}\n"
            + $"url=https://u.example/fw.bin\nblock-size={blockSize}\nblock-sha256={new string('b', 64)}\n";
        var bytes = SignedManifest.SignBody(key, Encoding.ASCII.GetBytes(body));
        return Assert.Throws<OtaException>(() => UpdateManifest.Parse(bytes, bytes.Length));
    }

    [Theory]
    [InlineData(int.MaxValue, 4096)]
    [InlineData(int.MaxValue - 100, 65536)]
    [InlineData(2_000_000_000, 1_048_576)]
    public void AHugeImageIsRefusedForItsTrueBlockCount(int size, int blockSize)
    {
        var blocks = (long)size / blockSize + (size % blockSize == 0 ? 0 : 1);
        var e = Fails(size, blockSize);
        Assert.Equal(OtaError.ManifestInvalid, e.Error);
        Assert.Contains($"the image has {blocks} blocks of {blockSize} bytes", e.Message);
    }

    [Theory]
    [InlineData(1, 4096, 1)]
    [InlineData(4096, 4096, 1)]
    [InlineData(4097, 4096, 2)]
    [InlineData(int.MaxValue, 2147479552, 2)]
    public void BlockCountIsTheCeilingWithoutOverflow(int size, int blockSize, int expected) =>
        Assert.Equal(expected, ManifestFormat.BlockCount(size, blockSize));
}
