using NfOta.Emulator.Device;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.SecureBoot;
using NfOta.Manifest;

namespace NfOta.Benchmarks;

/// <summary>
/// Issue 13's targets for a pre-encrypted 1.5 MiB firmware (RSA-3072 device key: the slower scheme
/// on the device) against the same image sent plain, on ESP32 and ESP32-C3 with flash encryption and
/// secure boot v2, through the engine, the C component (host crypto) and the emulated flash:
///  - modelled OTA time: the emulator's datasheet flash time of each update, plus, for the encrypted
///    one, the device's crypto: one RSA-3072 private-key operation at ESP-IDF's own ceiling for the
///    chip (components/idf_test idf_performance_target.h, v5.5.4: ESP32 950 ms, ESP32-C3 670 ms) and
///    AES-GCM at the only GCM figure ESP-IDF publishes (IDF_PERFORMANCE_MIN_AES_GCM_UPDATE_THROUGHPUT_MBSEC,
///    2.1 MB/s, a floor measured on ESP32-S2; hardware AES is faster elsewhere). Target ≤ 1.10.
///  - managed bytes allocated per chunk while the ciphertext streams, the engine's thread less what
///    the host binding and the emulated ESP-IDF allocate inside native calls (counted per call by
///    NativeHostRuntime.AllocatedInCalls; on the device those calls reach no managed heap). Target 0.
/// </summary>
internal static class PreEncryptedBenchmark
{
    internal const string Layout = """
        nvs,       data, nvs,   0x9000,   0x4000,
        otadata,   data, ota,   0xd000,   0x2000,
        phy_init,  data, phy,   0xf000,   0x1000,
        ota_0,     app,  ota_0, 0x10000,  0x1F0000,
        ota_1,     app,  ota_1, 0x200000, 0x1F0000,
        nfota_key, 0x40, 0x4B,  0x3F0000, 0x1000,   encrypted
        """;

    /// <summary>ESP-IDF's IDF_PERFORMANCE_MAX_RSA_3072KEY_PRIVATE_OP (µs), v5.5.4.</summary>
    private static TimeSpan RsaPrivateOp(EspChip chip) => TimeSpan.FromMicroseconds(chip == EspChip.Esp32 ? 950_000 : 670_000);

    /// <summary>ESP-IDF's IDF_PERFORMANCE_MIN_AES_GCM_UPDATE_THROUGHPUT_MBSEC (ESP32-S2), v5.5.4.</summary>
    private const double GcmBytesPerSecond = 2.1e6;

    public static int Run(int imageKilobytes)
    {
        var signer = SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "key-rsa3072.pem")));
        using var deviceKey = DeviceKey.NewRsa3072();
        Console.WriteLine($"pre-encrypted: a {imageKilobytes} KiB firmware pre-encrypted for an RSA-3072 device key vs. sent plain; 4 MiB flash, flash encryption + secure boot v2");
        Console.WriteLine($"{"chip",-9} {"plain flash s",14} {"enc flash s",12} {"crypto s",9} {"OTA enc/plain",14} {"engine B/chunk plain",21} {"encrypted",10} {"enc in calls B/ch",17}");
        var failed = false;
        foreach (var chip in new[] { EspChip.Esp32, EspChip.Esp32C3 })
        {
            var image = SecureBootV2.Sign(BenchRelease.Image(chip, "2.0.0", imageKilobytes << 10), signer);
            var plain = Measure(chip, signer, deviceKey, image, encrypted: false);
            var enc = Measure(chip, signer, deviceKey, image, encrypted: true);
            var crypto = RsaPrivateOp(chip) + TimeSpan.FromSeconds(image.Length / GcmBytesPerSecond);
            var ratio = (enc.Flash + crypto) / plain.Flash;
            Console.WriteLine($"{chip.Name,-9} {plain.Flash.TotalSeconds,14:F2} {enc.Flash.TotalSeconds,12:F2} {crypto.TotalSeconds,9:F2} {ratio,14:F4} {plain.EngineBytesPerChunk,21:F2} {enc.EngineBytesPerChunk,10:F2} {enc.InCallBytesPerChunk,17:F1}");
            failed |= ratio > 1.10 || enc.EngineBytesPerChunk > 0;
        }
        Console.WriteLine(failed
            ? "pre-encrypted: a target was missed"
            : "pre-encrypted: all targets met (modelled OTA time with decryption <= 1.10 x plain, 0 B/chunk in the engine)");
        return failed ? 1 : 0;
    }

    /// <summary>EngineBytesPerChunk: what the engine allocates per chunk beyond the native calls (the host binding and emulator allocate; nanoCLR's do not reach the managed heap).</summary>
    private sealed record Result(TimeSpan Flash, double EngineBytesPerChunk, double InCallBytesPerChunk);

    private static Result Measure(EspChip chip, SecureBootKey signer, DeviceKey deviceKey, byte[] image, bool encrypted)
    {
        var device = BenchRelease.Board(chip, signer, Layout, 4 << 20,
            new Dictionary<string, byte[]> { [DeviceKeyPartition.Label] = DeviceKeyPartition.Build(deviceKey) });
        using var session = NfOta.NativeHost.NativeHost.Attach(device);

        var file = encrypted ? EncryptedImage.Encrypt(image, deviceKey) : image;
        var manifest = BenchRelease.Manifest(chip, image, encrypted ? file.Length : 0);
        var updater = new OtaUpdater(new MemoryImageSource(file), new byte[65], new UpdateOptions()) { Reboot = () => { } };
        // Past the first chunks (the header, the first block's read-back buffers), to the end.
        var perChunk = new ChunkAllocations(warmup: 4);
        updater.Progress = perChunk.Chunk;
        var before = device.Flash.Log.Count;
        updater.Apply(manifest);
        var flash = device.Flash.Log.Skip(before).Aggregate(TimeSpan.Zero, (sum, op) => sum + op.Duration);
        var boot = device.Restart();
        if (boot.Partition?.Name != "ota_1") throw new InvalidOperationException($"the {(encrypted ? "encrypted" : "plain")} update did not boot: {boot}");
        if (NfOta.Interop.NativeOta.MarkValid() != 0) throw new InvalidOperationException("confirming failed");
        return new Result(flash, perChunk.EngineBytesPerChunk, perChunk.InCallBytesPerChunk);
    }
}
