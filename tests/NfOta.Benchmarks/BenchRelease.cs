using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Manifest;

namespace NfOta.Benchmarks;

/// <summary>The benchmarks' releases: a plain app image of a given size, and its manifest as nfota pack writes it.</summary>
internal static class BenchRelease
{
    public static byte[] Image(EspChip chip, string version, int bytes)
    {
        var code = new byte[bytes - 4096];
        new Random(bytes).NextBytes(code);
        var builder = new AppImageBuilder(chip)
        {
            EntryAddress = chip.Irom.Start + 0x100,
            Description = new AppDescription { Version = version, ProjectName = "bench", IdfVersion = "v5.5", AppElfSha256 = SHA256.HashData(code) },
        };
        builder.AddSegment(chip.Drom.Start + 0x20, new byte[512]);
        builder.AddSegment(chip.Irom.Start + 0x20, code);
        return builder.Build();
    }

    /// <summary>A format 2 manifest with block hashes (the signature step is not what is measured).</summary>
    public static UpdateManifest Manifest(EspChip chip, byte[] image)
    {
        var blockSize = NfOta.Packaging.BlockHashes.DefaultFor(image.Length);
        var body = $"{ManifestFormat.Header2}\nchip={chip.Name}\nversion=2.0.0\nsecure-version=0\nsize={image.Length}\nsha256={Convert.ToHexStringLower(SHA256.HashData(image))}\n"
            + $"url=http://bench/app.bin\nblock-size={blockSize}\nblock-sha256={Convert.ToHexStringLower(NfOta.Packaging.BlockHashes.Of(image, blockSize))}\n"
            + "signature=" + new string('0', 128) + "\n";
        var bytes = System.Text.Encoding.ASCII.GetBytes(body);
        return UpdateManifest.Parse(bytes, bytes.Length);
    }
}
