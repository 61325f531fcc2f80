using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.SecureBoot;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Manifest;

namespace NfOta.Benchmarks;

/// <summary>The benchmarks' boards and releases: a secured board running 1.0.0, a plain app image of a given size, and its manifest as nfota pack writes it.</summary>
internal static class BenchRelease
{
    /// <summary>Flash encryption and secure boot v2 on, a 64 KiB 1.0.0 in ota_0, booted; reads are not logged (they would swamp the log).</summary>
    /// <param name="more">Further images by partition name (a device key, say).</param>
    public static VirtualEsp32 Board(EspChip chip, SecureBootKey key, string partitionCsv, int flashSize, IReadOnlyDictionary<string, byte[]>? more = null)
    {
        var images = new Dictionary<string, byte[]> { ["ota_0"] = SecureBootV2.Sign(Image(chip, "1.0.0", 64 << 10), key) };
        foreach (var (name, bytes) in more ?? new Dictionary<string, byte[]>()) images[name] = bytes;
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = chip,
            FlashSize = flashSize,
            PartitionCsv = partitionCsv,
            Images = images,
            FlashEncryptionKey = Enumerable.Range(0, chip.FlashKeyLengths.Max()).Select(i => (byte)(i * 13 + 1)).ToArray(),
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(key)],
            BootloaderSigningKey = key,
        });
        var boot = device.PowerOn();
        if (!boot.Booted) throw new InvalidOperationException(boot.ToString());
        device.Flash.LogReads = false;
        return device;
    }

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

    /// <summary>A format 2 manifest with block hashes, and encrypted-size for a pre-encrypted file (the signature step is not what is measured).</summary>
    public static UpdateManifest Manifest(EspChip chip, byte[] image, int encryptedSize = 0)
    {
        var blockSize = NfOta.Packaging.BlockHashes.DefaultFor(image.Length);
        var body = $"{ManifestFormat.Header2}\nchip={chip.Name}\nversion=2.0.0\nsecure-version=0\nsize={image.Length}\nsha256={Convert.ToHexStringLower(SHA256.HashData(image))}\n"
            + $"url=http://bench/app.bin\nblock-size={blockSize}\nblock-sha256={Convert.ToHexStringLower(NfOta.Packaging.BlockHashes.Of(image, blockSize))}\n"
            + (encryptedSize > 0 ? $"encrypted-size={encryptedSize}\n" : "")
            + "signature=" + new string('0', 128) + "\n";
        var bytes = System.Text.Encoding.ASCII.GetBytes(body);
        return UpdateManifest.Parse(bytes, bytes.Length);
    }
}
