using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Transfer;

namespace NfOta.Benchmarks;

/// <summary>
/// Issue 23's targets, for every kind of update on ESP32 and ESP32-C3 (flash encryption, secure boot
/// v2), through the engine, the C component and the emulator: the modelled flash work (erases and
/// programs) of the update as the engine does it by default (<c>EraseAsYouGo</c>) over the same
/// update with the image erased in bulk (<c>EraseAsYouGo = false</c>: the whole image in
/// <c>esp_ota_begin</c>, the whole app in one call) (target ≤ 1.10), and the most flash work any one
/// native call does (target: at most one 64 KiB block erase, 150 ms on the W25Q32 model: the engine
/// erases ahead in calls of their own, NativeOta.EraseAhead, so a write only programs). A resumed update has no bulk mode (<c>Resume</c> always erases as it
/// goes): its reference is the same run with the slot's erases replaced by one bulk erase of the
/// span they covered, as <c>esp_flash_erase_region</c> would do it (64 KiB blocks where aligned).
/// Also printed: KiB of the update slot and its app partition erased more than once (target 0,
/// but for the slot's first sector: esp_ota_begin erases at least one sector before the block).
/// </summary>
internal static class EraseModesBenchmark
{
    private const int Chunk = 4096;

    public static int Run()
    {
        var key = SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "key-rsa3072.pem")));
        Console.WriteLine("erase modes: total flash work of each kind of update, erased as it goes (the default) vs in bulk; flash encryption + secure boot v2");
        Console.WriteLine($"{"kind",-22} {"chip",-9} {"as-you-go s",12} {"bulk s",8} {"ratio",7} {"max call ms",12} {"its erase ms",13} {"bulk max ms",12} {"re-erased KiB",14}");
        var failed = false;
        foreach (var chip in new[] { EspChip.Esp32, EspChip.Esp32C3 })
        {
            var callLimit = CallLimit;
            foreach (var kind in new[] { "firmware 4 MiB", "firmware + app", "app-only", "pre-encrypted", "resumed after a cut" })
            {
                var (asYouGo, bulk) = Measure(kind, chip, key);
                var ratio = asYouGo.Total / bulk.Total;
                Console.WriteLine($"{kind,-22} {chip.Name,-9} {asYouGo.Total.TotalSeconds,12:F2} {bulk.Total.TotalSeconds,8:F2} {ratio,7:F3} {asYouGo.Longest.TotalMilliseconds,12:F1} {asYouGo.LongestErase.TotalMilliseconds,13:F1} {bulk.Longest.TotalMilliseconds,12:F1} {asYouGo.ReErasedBytes / 1024,14}");
                failed |= ratio > 1.10 || asYouGo.Longest > callLimit || asYouGo.ReErasedBytes > 4096;
            }
            Console.WriteLine($"{"",-22} {chip.Name,-9} call limit {callLimit.TotalMilliseconds:F1} ms = one 64 KiB block erase");
        }
        Console.WriteLine(failed
            ? "erase modes: a target was missed"
            : "erase modes: all targets met (flash <= 1.10 x bulk erase, no native call beyond one 64 KiB block erase, no slot sector erased twice but the first)");
        return failed ? 1 : 0;
    }

    /// <summary>Issue 23's limit for any one native call: one 64 KiB block erase (150 ms typical), the longest a write may starve Wi-Fi.</summary>
    public static TimeSpan CallLimit => FlashTiming.Default.Erase(FlashOperationKind.EraseBlock);

    /// <summary>Flash work of an update, per native call.</summary>
    public sealed record Calls(TimeSpan Total, TimeSpan Longest, TimeSpan LongestErase, long ReErasedBytes);

    /// <summary>
    /// Runs <paramref name="update"/>, marking the flash log at the end of every native call, and
    /// sums each call's mutations; erases inside <paramref name="watched"/> partitions that hit a
    /// sector already erased during the run are counted.
    /// </summary>
    public static Calls Time(VirtualEsp32 device, Action update, params string[] watched)
    {
        var marks = new List<int> { device.Flash.Log.Count };
        NativeHostRuntime.CallEnded = () => marks.Add(device.Flash.Log.Count);
        try
        {
            update();
        }
        finally
        {
            NativeHostRuntime.CallEnded = null;
        }
        marks.Add(device.Flash.Log.Count);
        TimeSpan total = TimeSpan.Zero, longest = TimeSpan.Zero, longestErase = TimeSpan.Zero;
        for (var i = 1; i < marks.Count; i++)
        {
            TimeSpan call = TimeSpan.Zero, erase = TimeSpan.Zero;
            for (var op = marks[i - 1]; op < marks[i]; op++)
            {
                var o = device.Flash.Log[op];
                if (!o.IsMutation) continue;
                call += o.Duration;
                if (o.Kind != FlashOperationKind.Program) erase += o.Duration;
            }
            total += call;
            if (call > longest)
            {
                longest = call;
                longestErase = erase;
            }
        }
        return new Calls(total, longest, longestErase, ReErased(device, marks[0], watched));
    }

    private static long ReErased(VirtualEsp32 device, int from, string[] watched)
    {
        var ranges = watched.Select(l => device.Partitions!.FindByLabel(l)).Where(p => p is not null).Select(p => (p!.Address, End: p.Address + p.Size)).ToList();
        var erased = new HashSet<uint>();
        long again = 0;
        for (var op = from; op < device.Flash.Log.Count; op++)
        {
            var o = device.Flash.Log[op];
            if (o.Kind is not (FlashOperationKind.EraseSector or FlashOperationKind.EraseBlock)) continue;
            for (var sector = o.Address; sector < o.Address + (uint)o.Length; sector += FlashTiming.SectorSize)
            {
                if (!ranges.Any(r => sector >= r.Address && sector < r.End)) continue;
                if (!erased.Add(sector)) again += FlashTiming.SectorSize;
            }
        }
        return again;
    }

    private static (Calls AsYouGo, Calls Bulk) Measure(string kind, EspChip chip, SecureBootKey key) => kind switch
    {
        "firmware 4 MiB" => Both(eraseAsYouGo => Firmware(chip, key, 4 << 20, eraseAsYouGo)),
        "firmware + app" => Both(eraseAsYouGo => WithApp(chip, key, firmware: true, eraseAsYouGo)),
        "app-only" => Both(eraseAsYouGo => WithApp(chip, key, firmware: false, eraseAsYouGo)),
        "pre-encrypted" => Both(eraseAsYouGo => PreEncrypted(chip, key, eraseAsYouGo)),
        "resumed after a cut" => Resumed(chip, key),
        _ => throw new ArgumentException(kind),
    };

    private static (Calls, Calls) Both(Func<bool, Calls> run) => (run(true), run(false));

    private static Calls Firmware(EspChip chip, SecureBootKey key, int bytes, bool eraseAsYouGo)
    {
        var image = SecureBootV2.Sign(BenchRelease.Image(chip, "2.0.0", bytes), key);
        var device = BenchRelease.Board(chip, key, OtaStreamBenchmark.BigSlots, 16 << 20);
        using var session = NfOta.NativeHost.NativeHost.Attach(device);
        var updater = new OtaUpdater(new MemoryImageSource(image), new byte[65], new UpdateOptions { ChunkSize = Chunk, EraseAsYouGo = eraseAsYouGo }) { Reboot = () => { } };
        var manifest = BenchRelease.Manifest(chip, image);
        return Time(device, () => updater.Apply(manifest), "ota_1");
    }

    private static Calls PreEncrypted(EspChip chip, SecureBootKey key, bool eraseAsYouGo)
    {
        using var deviceKey = DeviceKey.NewRsa3072();
        var image = SecureBootV2.Sign(BenchRelease.Image(chip, "2.0.0", 1536 << 10), key);
        var device = BenchRelease.Board(chip, key, PreEncryptedBenchmark.Layout, 4 << 20,
            new Dictionary<string, byte[]> { [DeviceKeyPartition.Label] = DeviceKeyPartition.Build(deviceKey) });
        using var session = NfOta.NativeHost.NativeHost.Attach(device);
        var file = EncryptedImage.Encrypt(image, deviceKey);
        var manifest = BenchRelease.Manifest(chip, image, file.Length);
        var updater = new OtaUpdater(new MemoryImageSource(file), new byte[65], new UpdateOptions { ChunkSize = Chunk, EraseAsYouGo = eraseAsYouGo }) { Reboot = () => { } };
        return Time(device, () => updater.Apply(manifest), "ota_1");
    }

    /// <summary>A 1.5 MiB firmware and a 200 KiB app on nf-ota's 8 MB layout: both downloaded, or the app alone (the firmware copied on the board).</summary>
    private static Calls WithApp(EspChip chip, SecureBootKey key, bool firmware, bool eraseAsYouGo)
    {
        var running = SecureBootV2.Sign(AppUpdateBenchmark.Firmware(chip, 1536 << 10), key);
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = chip,
            FlashSize = 8 << 20,
            PartitionCsv = AppUpdateBenchmark.Layout,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = running, ["deploy_0"] = AppUpdateBenchmark.App("1.0.0", 200 << 10).Image },
            FlashEncryptionKey = Enumerable.Range(0, chip.FlashKeyLengths.Max()).Select(i => (byte)(i * 13 + 1)).ToArray(),
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(key)],
            BootloaderSigningKey = key,
        });
        if (!device.PowerOn().Booted) throw new InvalidOperationException("the board did not boot");
        device.Flash.LogReads = false;
        using var session = NfOta.NativeHost.NativeHost.Attach(device);
        var app = AppUpdateBenchmark.App("2.0.0", 200 << 10);
        var release = new Release(chip, firmware ? SecureBootV2.Sign(AppUpdateBenchmark.Firmware(chip, 1536 << 10, "2.0.0"), key) : null, app, "2.0.0");
        var updater = new OtaUpdater(release, release.PublicKey, new UpdateOptions { ChunkSize = Chunk, EraseAsYouGo = eraseAsYouGo }) { Reboot = () => { } };
        var manifest = updater.FetchManifest(Release.ManifestUrl);
        return Time(device, () => updater.Apply(manifest), "ota_1", "deploy_1");
    }

    /// <summary>A 2 MB update cut half-way through its flash mutations (half-way through that one), then run again: the second run is timed.</summary>
    private static (Calls, Calls) Resumed(EspChip chip, SecureBootKey key)
    {
        var image = SecureBootV2.Sign(BenchRelease.Image(chip, "2.0.0", 2_000_000 - 8192), key);
        var manifest = BenchRelease.Manifest(chip, image);
        int mutations;
        {
            var whole = BenchRelease.Board(chip, key, ResumeBenchmark.Slots, 8 << 20);
            using var session = NfOta.NativeHost.NativeHost.Attach(whole);
            var before = whole.Flash.MutationCount;
            new OtaUpdater(new MemoryImageSource(image), new byte[65], new UpdateOptions { ChunkSize = Chunk }) { Reboot = () => { } }.Apply(manifest);
            mutations = whole.Flash.MutationCount - before;
        }
        var board = BenchRelease.Board(chip, key, ResumeBenchmark.Slots, 8 << 20);
        using (NfOta.NativeHost.NativeHost.Attach(board))
        {
            board.Flash.ArmPowerCut(new PowerCut(mutations / 2, 0.5, 23));
            try
            {
                new OtaUpdater(new MemoryImageSource(image), new byte[65], new UpdateOptions { ChunkSize = Chunk }) { Reboot = () => { } }.Apply(manifest);
                throw new InvalidOperationException("the power cut never fired");
            }
            catch (PowerLossException)
            {
            }
        }
        board.Flash.DisarmPowerCut();
        if (!board.PowerOn().Booted) throw new InvalidOperationException("no boot after the cut");
        board.Flash.LogReads = false;
        using var again = NfOta.NativeHost.NativeHost.Attach(board);
        var from = board.Flash.Log.Count;
        UpdateResult? result = null;
        var calls = Time(board, () => result = new OtaUpdater(new MemoryImageSource(image), new byte[65], new UpdateOptions { ChunkSize = Chunk }) { Reboot = () => { } }.Apply(manifest), "ota_1");
        if (result!.ResumedAt == 0) throw new InvalidOperationException("the update did not resume");
        return (calls, calls with { Total = calls.Total - SlotErases(board, from, "ota_1", out var span) + BulkErase(board.Flash.Timing, span.Start, span.End - span.Start) });
    }

    /// <summary>The erase time spent in a partition since log entry <paramref name="from"/>, and the span those erases covered.</summary>
    private static TimeSpan SlotErases(VirtualEsp32 device, int from, string label, out (uint Start, uint End) span)
    {
        var p = device.Partitions!.FindByLabel(label)!;
        var time = TimeSpan.Zero;
        span = (uint.MaxValue, 0);
        for (var op = from; op < device.Flash.Log.Count; op++)
        {
            var o = device.Flash.Log[op];
            if (o.Kind is not (FlashOperationKind.EraseSector or FlashOperationKind.EraseBlock) || o.Address < p.Address || o.Address >= p.Address + p.Size) continue;
            time += o.Duration;
            span = (Math.Min(span.Start, o.Address), Math.Max(span.End, o.Address + (uint)o.Length));
        }
        return time;
    }

    /// <summary>What esp_flash_erase_region takes for one range: 64 KiB blocks where aligned, sectors elsewhere.</summary>
    private static TimeSpan BulkErase(FlashTiming timing, uint address, uint length)
    {
        var time = TimeSpan.Zero;
        while (length > 0)
        {
            var block = address % FlashTiming.BlockSize == 0 && length >= FlashTiming.BlockSize;
            time += timing.Erase(block ? FlashOperationKind.EraseBlock : FlashOperationKind.EraseSector);
            var step = block ? (uint)FlashTiming.BlockSize : FlashTiming.SectorSize;
            address += step;
            length -= step;
        }
        return time;
    }

    /// <summary>A release server in memory: one signed format 2 manifest for a firmware + app or app-only release.</summary>
    private sealed class Release : IImageSource
    {
        public const string ManifestUrl = "http://bench/latest.manifest";
        private const string FirmwareUrl = "http://bench/firmware.bin";
        private const string AppUrl = "http://bench/app.app";
        private readonly NfOta.Packaging.ManifestKey _key = NfOta.Packaging.ManifestKey.Create();
        private readonly byte[] _manifest;
        private readonly byte[]? _firmware;
        private readonly byte[] _app;

        public Release(EspChip chip, byte[]? firmware, NfOta.Packaging.AppPart app, string version)
        {
            _firmware = firmware;
            _app = app.Image;
            NfOta.Packaging.ManifestFirmware? part = null;
            if (firmware is not null)
            {
                var blockSize = NfOta.Packaging.BlockHashes.DefaultFor(firmware.Length);
                part = new NfOta.Packaging.ManifestFirmware
                {
                    SecureVersion = 0,
                    Size = firmware.Length,
                    Sha256 = SHA256.HashData(firmware),
                    Url = FirmwareUrl,
                    BlockSize = blockSize,
                    BlockSha256 = NfOta.Packaging.BlockHashes.Of(firmware, blockSize),
                };
            }
            var content = new NfOta.Packaging.ManifestContent
            {
                Chip = chip.Name,
                Version = version,
                Firmware = part,
                App = new NfOta.Packaging.ManifestApp(app.Image.Length, app.Sha256, AppUrl, app.Needs),
            };
            _manifest = NfOta.Packaging.ManifestWriter.Sign(_key, content);
        }

        public byte[] PublicKey => _key.PublicKeyBytes();

        public IImageStream Open(string url, int offset) => new Stream(url == ManifestUrl ? _manifest : url == FirmwareUrl ? _firmware! : _app, offset);

        private sealed class Stream(byte[] bytes, int position) : IImageStream
        {
            public int TotalLength => bytes.Length;

            public int Read(byte[] buffer, int offset, int count)
            {
                var n = Math.Min(count, bytes.Length - position);
                Buffer.BlockCopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }

            public void Close()
            {
            }
        }
    }
}
