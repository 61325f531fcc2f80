using System.Diagnostics;
using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;
using NfOta.Manifest;

namespace NfOta.Benchmarks;

/// <summary>
/// Issue 23's power-cut throughput: the same cuts of one update (ESP32, flash encryption and
/// secure boot v2, an 8 KiB image) run three ways in one run, each judged the same way (power on,
/// the old or the new version boots, then the update runs again to the end):
/// before, a freshly provisioned board per cut with the update replayed up to the cut; a
/// copy-on-write board per cut, still replayed; and after, each cut started from the checkpoint
/// before its mutation (what the matrices do). Printed: cut points per second and the ratio.
/// </summary>
internal static class PowerCutBenchmark
{
    private const string Slots = """
        nvs,      data, nvs,     0x9000,   0x4000
        otadata,  data, ota,     0xd000,   0x2000
        phy_init, data, phy,     0xf000,   0x1000
        ota_0,    app,  ota_0,   0x10000,  0x100000
        ota_1,    app,  ota_1,   0x110000, 0x100000
        """;

    public static int Run(int imageKilobytes, int everyNth)
    {
        var key = SecureBootKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "key-rsa3072.pem")));
        var chip = EspChip.Esp32;
        var image = SecureBootV2.Sign(BenchRelease.Image(chip, "2.0.0", imageKilobytes << 10), key);
        var manifest = BenchRelease.Manifest(chip, image);
        var provisioned = BenchRelease.Board(chip, key, Slots, 4 << 20);
        var checkpoints = MutationCheckpoints.Record(Booted(provisioned), b => Update(b, manifest, image));
        var cuts = PowerCutRunner.EveryMutation(checkpoints.Count, 1.0, 0.5).Where(c => c.Operation % everyNth == 0).ToList();
        Func<VirtualEsp32, PowerCut, string?> check = (board, _) => Recovered(board, manifest, image);

        var replayed = Rate(cuts.Count, () => PowerCutRunner.RunByReplay(() => BenchRelease.Board(chip, key, Slots, 4 << 20), b => Update(b, manifest, image), cuts, check));
        var copied = Rate(cuts.Count, () => PowerCutRunner.RunByReplay(() => Booted(provisioned), b => Update(b, manifest, image), cuts, check));
        var fromCheckpoints = Rate(cuts.Count, () => PowerCutRunner.Run(MutationCheckpoints.Record(Booted(provisioned), b => Update(b, manifest, image)), cuts, check));

        Console.WriteLine($"power-cuts: one update ({imageKilobytes} KiB image, ESP32, flash encryption, secure boot v2), {checkpoints.Count} flash mutations, {cuts.Count} cut points (mutations {everyNth}, {2 * everyNth}, {3 * everyNth} ...: after each and half-way through), each checked by power-on and a second update");
        Console.WriteLine($"  provisioned board per cut, replayed to the cut (before) {replayed,8:F1} cut points/s");
        Console.WriteLine($"  copy-on-write board per cut, replayed to the cut         {copied,8:F1} cut points/s");
        Console.WriteLine($"  from the checkpoint before the cut's mutation (after)   {fromCheckpoints,8:F1} cut points/s");
        Console.WriteLine($"  after / before: {fromCheckpoints / replayed:F2}x");
        return 0;
    }

    private static VirtualEsp32 Booted(VirtualEsp32 provisioned)
    {
        var board = provisioned.PoweredOffCopy();
        if (!board.PowerOn().Booted) throw new InvalidOperationException("the provisioned board does not boot");
        board.Flash.LogReads = false;
        return board;
    }

    private static void Update(VirtualEsp32 board, UpdateManifest manifest, byte[] image)
    {
        using var session = NfOta.NativeHost.NativeHost.Attach(board);
        new OtaUpdater(new MemoryImageSource(image), new byte[65], new UpdateOptions()) { Reboot = () => { }, Sleep = _ => { } }.Apply(manifest);
    }

    /// <summary>The judgement every cut gets: the old or the new version boots, and the update then ends on the new one.</summary>
    private static string? Recovered(VirtualEsp32 board, UpdateManifest manifest, byte[] image)
    {
        var version = Version(board);
        if (version is not ("1.0.0" or "2.0.0")) return $"boots {version}";
        if (version == "2.0.0") return null;
        Update(board, manifest, image);
        board.Restart();
        return Version(board) == "2.0.0" ? null : $"the update run again left {Version(board)}";
    }

    private static string? Version(VirtualEsp32 board) =>
        board.Ota!.GetPartitionDescription(board.RunningPartition, out var description) == EspErr.ESP_OK ? description!.Version : null;

    private static double Rate(int cuts, Func<IReadOnlyList<PowerCutRunner.Outcome>> run)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = run();
        var seconds = clock.Elapsed.TotalSeconds;
        if (outcomes.FirstOrDefault(o => !o.Ok) is { } bad) throw new InvalidOperationException($"power-cut benchmark: {bad}");
        return cuts / seconds;
    }
}
