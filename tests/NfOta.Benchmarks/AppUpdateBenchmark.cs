using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;
using NfOta.Manifest;
using NfOta.NanoFramework;
using NfOta.Transfer;

namespace NfOta.Benchmarks;

/// <summary>
/// Issue 16's targets for an app-only update of a 200 KiB C# app on a board running a 1.5 MiB
/// firmware (ESP32 and ESP32-C3, flash encryption and secure boot v2, nf-ota's 8 MB layout): bytes
/// downloaded (target ≤ app + manifest) and the update's modelled flash time (from the manifest to
/// the reboot; erases, programs and reads included) over the least any update through ESP-IDF's API
/// must do (target ≤ 1.05): the datasheet time of copying the firmware (reading it, and writing it
/// with blocks erased where whole, as issue 23 does), writing the app, the two reads of the new
/// image ESP-IDF makes itself (esp_ota_end and esp_ota_set_boot_partition each verify it) and the
/// otadata entry. The reboot that follows (the bootloader verifying the image again) is the
/// bootloader's, not the update's, and is not counted. Two boards: a fresh one (the target deploy
/// partition as flash encryption's first boot leaves it) and one in steady state (it holds the app
/// of two releases ago). Managed allocations per chunk are printed too (target 0), less what the
/// host binding and the emulator allocate inside native calls (printed beside it).
/// </summary>
internal static class AppUpdateBenchmark
{
    internal const string Layout = """
        nvs,      data, nvs,     0x9000,   0x4000,
        otadata,  data, ota,     0xd000,   0x2000,
        phy_init, data, phy,     0xf000,   0x1000,
        ota_0,    app,  ota_0,   0x10000,  0x1D0000,
        ota_1,    app,  ota_1,   0x1E0000, 0x1D0000,
        deploy_0, data, 0x84,    0x3C0000, 0x120000, encrypted
        deploy_1, data, 0x84,    0x4E0000, 0x120000, encrypted
        """;

    private static readonly NativeAssemblyTable Natives = new([new("mscorlib", 0x1549C856), new("NfOta.Interop", 0x2B3B2E87)]);

    public static int Run(int appKilobytes)
    {
        var key = SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "key-rsa3072.pem")));
        Console.WriteLine($"app-update: app-only update of a {appKilobytes} KiB app, 1.5 MiB firmware copied on the board, 8 MiB flash, flash encryption + secure boot v2");
        Console.WriteLine($"{"chip",-9} {"board",-13} {"downloaded B",13} {"app+manifest B",15} {"flash s",8} {"limit s",8} {"flash/limit",12} {"engine B/chunk",15} {"in calls B/ch",13}");
        var failed = false;
        foreach (var chip in new[] { EspChip.Esp32, EspChip.Esp32C3 })
        {
            var firmware = SecureBootV2.Sign(Firmware(chip, 1536 << 10), key);
            foreach (var steady in new[] { false, true })
            {
                var r = Measure(chip, key, firmware, appKilobytes << 10, steady);
                Console.WriteLine($"{chip.Name,-9} {(steady ? "steady state" : "fresh"),-13} {r.Downloaded,13} {r.AppPlusManifest,15} {r.Flash.TotalSeconds,8:F2} {r.Limit.TotalSeconds,8:F2} {r.Flash / r.Limit,12:F4} {r.BytesPerChunk,15:F1} {r.InCallBytesPerChunk,13:F1}");
                failed |= r.Downloaded > r.AppPlusManifest || r.Flash / r.Limit > 1.05 || r.BytesPerChunk > 0;
            }
        }
        Console.WriteLine(failed
            ? "app-update: a target was missed"
            : "app-update: all targets met (downloaded <= app + manifest, flash <= 1.05 x datasheet time of the firmware copy + app write + ESP-IDF's own verification reads and otadata entry, 0 B/chunk)");
        return failed ? 1 : 0;
    }

    private sealed record Result(long Downloaded, long AppPlusManifest, TimeSpan Flash, TimeSpan Limit, double BytesPerChunk, double InCallBytesPerChunk);

    private static Result Measure(EspChip chip, SecureBootKey key, byte[] firmware, int appBytes, bool steady)
    {
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = chip,
            FlashSize = 8 << 20,
            PartitionCsv = Layout,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = firmware, ["deploy_0"] = App("1.0.0", appBytes).Image },
            FlashEncryptionKey = Enumerable.Range(0, chip.FlashKeyLengths.Max()).Select(i => (byte)(i * 13 + 1)).ToArray(),
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(key)],
            BootloaderSigningKey = key,
        });
        if (!device.PowerOn().Booted) throw new InvalidOperationException("the board did not boot");
        using var session = NfOta.NativeHost.NativeHost.Attach(device);
        var publisher = new Releases();
        if (steady)
        {
            // Two app-only releases first: ota_1/deploy_1 then ota_0/deploy_0; the measured one goes
            // to deploy_1 again, over an app of the same size.
            foreach (var version in new[] { "1.1.0", "1.2.0" })
            {
                Install(device, publisher, App(version, appBytes), version);
            }
        }
        var app = App("1.3.0", appBytes);
        var result = Install(device, publisher, app, "1.3.0");
        var timing = device.Flash.Timing;
        // Copying the firmware is reading it and writing it; the app is written. Both are erased
        // ahead in 64 KiB blocks (issue 23): the block-wise datasheet limit. ESP-IDF reads the new
        // image twice itself (esp_ota_end, esp_ota_set_boot_partition) and writes an otadata entry.
        var limit = timing.Read(firmware.Length) + timing.MinimumWriteTime(firmware.Length, chip.EncryptedWriteMaxRow) + timing.MinimumWriteTime(app.Image.Length, chip.EncryptedWriteMaxRow)
            + timing.Read(firmware.Length) * 2 + timing.Erase(FlashOperationKind.EraseSector) + timing.Program(32);
        return new Result(result.Downloaded, app.Image.Length + publisher.ManifestLength, result.Flash, limit, result.PerChunk.EngineBytesPerChunk, result.PerChunk.InCallBytesPerChunk);
    }

    /// <summary>
    /// Installs the release, reboots into it and confirms it. Returns the bytes downloaded, the flash
    /// time of the update itself, and the engine's allocations and calls per chunk.
    /// </summary>
    private static (long Downloaded, TimeSpan Flash, ChunkAllocations PerChunk) Install(VirtualEsp32 device, Releases releases, NfOta.Packaging.AppPart app, string version)
    {
        releases.Offer(app, version, device.Chip.Name);
        var updater = new OtaUpdater(releases, releases.PublicKey, new UpdateOptions()) { Reboot = () => { } };
        var perChunk = new ChunkAllocations(warmup: 4);
        updater.Progress = perChunk.Chunk;
        var served = releases.BytesServed;
        var before = device.Flash.Log.Count;
        updater.Apply(updater.FetchManifest(Releases.ManifestUrl));
        var flash = device.Flash.Log.Skip(before).Aggregate(TimeSpan.Zero, (sum, op) => sum + op.Duration);
        device.Restart();
        if (device.App?.Started != true) throw new InvalidOperationException($"the app did not start after the update to {version}");
        if (NfOta.Interop.NativeOta.MarkValid() != 0) throw new InvalidOperationException("confirming failed");
        return (releases.BytesServed - served, flash, perChunk);
    }

    internal static NfOta.Packaging.AppPart App(string version, int bytes)
    {
        var v = Version.Parse(version);
        var corlib = new Version(1, 17, 11, 0);
        var files = new List<(string, byte[])>
        {
            ("mscorlib.pe", PeWriter.Write("mscorlib", corlib, 0x1549C856, [], 30_000, seed: 1)),
            ("NfOta.Interop.pe", PeWriter.Write("NfOta.Interop", new Version(1, 0, 0, 0), 0x2B3B2E87, [("mscorlib", corlib)], 5_000, seed: 2)),
        };
        var size = files.Sum(f => f.Item2.Length);
        files.Add(("App.pe", PeWriter.Write("App", v, 0, [("mscorlib", corlib), ("NfOta.Interop", new Version(1, 0, 0, 0))], bytes - size - 200, seed: v.GetHashCode())));
        return NfOta.Packaging.AppPart.FromFiles(files);
    }

    internal static byte[] Firmware(EspChip chip, int bytes, string version = "1.0.0")
    {
        var code = new byte[bytes - 8192];
        new Random(bytes).NextBytes(code);
        var rodata = new byte[1024];
        Natives.Embed().CopyTo(rodata, 0);
        var builder = new AppImageBuilder(chip)
        {
            EntryAddress = chip.Irom.Start + 0x100,
            Description = new AppDescription { Version = version, ProjectName = "bench", IdfVersion = "v5.5", AppElfSha256 = SHA256.HashData(code) },
        };
        builder.AddSegment(chip.Drom.Start + 0x20, rodata);
        builder.AddSegment(chip.Irom.Start + 0x20, code);
        return builder.Build();
    }

    /// <summary>The release server in memory: the manifest of the offered app-only release and its app.</summary>
    private sealed class Releases : IImageSource
    {
        public const string ManifestUrl = "http://bench/latest.manifest";
        private const string AppUrl = "http://bench/app.app";
        private readonly NfOta.Packaging.ManifestKey _key = NfOta.Packaging.ManifestKey.Create();
        private byte[] _manifest = [];
        private byte[] _app = [];

        public byte[] PublicKey => _key.PublicKeyBytes();

        public long BytesServed { get; private set; }

        public int ManifestLength => _manifest.Length;

        public void Offer(NfOta.Packaging.AppPart app, string version, string chip)
        {
            var body = $"{ManifestFormat.Header2}\nchip={chip}\nversion={version}\napp-size={app.Image.Length}\napp-sha256={Convert.ToHexStringLower(app.Sha256)}\napp-url={AppUrl}\napp-natives={app.Needs.ManifestForm()}\n";
            _manifest = NfOta.Packaging.SignedManifest.SignBody(_key, System.Text.Encoding.ASCII.GetBytes(body));
            _app = app.Image;
        }

        public IImageStream Open(string url, int offset) => new Stream(this, url == ManifestUrl ? _manifest : _app, offset);

        private sealed class Stream(Releases owner, byte[] bytes, int position) : IImageStream
        {
            public int TotalLength => bytes.Length;

            public int Read(byte[] buffer, int offset, int count)
            {
                var n = Math.Min(count, bytes.Length - position);
                Buffer.BlockCopy(bytes, position, buffer, offset, n);
                position += n;
                owner.BytesServed += n;
                return n;
            }

            public void Close()
            {
            }
        }
    }
}
