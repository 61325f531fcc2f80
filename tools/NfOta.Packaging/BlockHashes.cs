using System.Security.Cryptography;

namespace NfOta.Packaging;

/// <summary>
/// The SHA-256 of each block of a firmware image, as a format 2 manifest carries them (block-size,
/// block-sha256): the device checks each block as it lands and keeps verified blocks across a reboot.
/// </summary>
public static class BlockHashes
{
    public const int DefaultBlockSize = 64 * 1024;

    /// <summary>64 KiB, or the smallest power of two above it that keeps the image within the device's block limit.</summary>
    public static int DefaultFor(int imageLength)
    {
        var size = DefaultBlockSize;
        while (NfOta.Manifest.ManifestFormat.BlockCount(imageLength, size) > NfOta.Manifest.ManifestFormat.MaxBlocks) size *= 2;
        return size;
    }

    /// <summary>Checks a block size given on the command line against an image; throws with what to use instead.</summary>
    public static void Check(int blockSize, int imageLength)
    {
        if (blockSize <= 0 || blockSize % 4096 != 0)
        {
            throw new PackagingException("bad-argument", $"--block-size {blockSize} is not a positive multiple of 4096 (a flash sector)");
        }
        var blocks = NfOta.Manifest.ManifestFormat.BlockCount(imageLength, blockSize);
        if (blocks > NfOta.Manifest.ManifestFormat.MaxBlocks)
        {
            throw new PackagingException("bad-argument",
                $"--block-size {blockSize} cuts the {imageLength}-byte image into {blocks} blocks; devices keep at most {NfOta.Manifest.ManifestFormat.MaxBlocks} hashes (1 KiB): use {DefaultFor(imageLength)} or more");
        }
    }

    /// <summary>The blocks' SHA-256 digests, concatenated.</summary>
    public static byte[] Of(ReadOnlySpan<byte> image, int blockSize)
    {
        var blocks = NfOta.Manifest.ManifestFormat.BlockCount(image.Length, blockSize);
        var hashes = new byte[32 * blocks];
        for (var i = 0; i < blocks; i++)
        {
            var block = image.Slice(i * blockSize, Math.Min(blockSize, image.Length - i * blockSize));
            SHA256.HashData(block, hashes.AsSpan(32 * i, 32));
        }
        return hashes;
    }
}
