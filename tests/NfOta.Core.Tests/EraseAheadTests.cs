using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Engine;
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Erase as you go, in 64 KiB blocks (issue 23), through the engine, the C component and the
/// emulated ESP-IDF and flash: during a firmware + app update no sector of the update slot or its
/// deploy partition is erased twice (but the slot's first, which esp_ota_begin erases before block
/// 0 is), whole blocks are erased with block erases, and nothing is programmed where it was not
/// erased (the NOR model reports a 0 bit programmed back to 1).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class EraseAheadTests(ITestOutputHelper output)
{
    /// <summary>A firmware + app release 2.0.0: 300 KB of firmware and ~150 KB of app, several whole blocks each and a tail.</summary>
    private static (byte[] Firmware, AppPart App) PublishFirmwareAndApp(UpdateRig rig)
    {
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false, codeBytes: 300_000);
        var app = AppReleases.App("2.0.0", codeBytes: 150_000);
        ReleasePackage.CreateRelease(new ReleaseRequest
        {
            Firmware = firmware, App = app, UrlBase = rig.Server.BaseUri.ToString(), OutDirectory = rig.Directory,
        }, rig.Key);
        return (firmware, app);
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task AFirmwareAndAppUpdateErasesEachSectorOnceInBlocks(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Parse(chip), DeviceSpec.PairedCsv));
        var (firmware, app) = PublishFirmwareAndApp(rig);
        var from = rig.Device.Flash.Log.Count;
        var violations = rig.Device.Flash.Violations.Count;

        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));

        Assert.Equal(violations, rig.Device.Flash.Violations.Count);
        var slot = rig.Device.Partitions!.FindByLabel("ota_1")!;
        var deploy = rig.Device.Partitions!.FindByLabel("deploy_1")!;
        var erases = rig.Device.Flash.Log.Skip(from)
            .Where(o => o.Kind is FlashOperationKind.EraseSector or FlashOperationKind.EraseBlock).ToList();
        var twice = erases
            .SelectMany(o => Enumerable.Range(0, o.Length / FlashTiming.SectorSize).Select(i => o.Address + (uint)(i * FlashTiming.SectorSize)))
            .Where(a => (a >= slot.Address && a < slot.Address + slot.Size) || (a >= deploy.Address && a < deploy.Address + deploy.Size))
            .GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        // The firmware's whole blocks are block erases: at most a block's worth of sector erases in the slot
        // besides esp_ota_begin's first one (the image's tail).
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseBlock && o.Address >= slot.Address && o.Address < slot.Address + slot.Size) >= firmware.Length / FlashTiming.BlockSize);
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseSector && o.Address >= slot.Address && o.Address < slot.Address + slot.Size) <= 1 + 3);
        Assert.True(erases.Count(o => o.Kind == FlashOperationKind.EraseBlock && o.Address >= deploy.Address && o.Address < deploy.Address + deploy.Size) >= app.Image.Length / FlashTiming.BlockSize);
        Assert.Equal([slot.Address], twice);

        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
    }

    /// <summary>
    /// A block erase is a cut point of its own: power is cut after, and 10 %, half-way and 90 %
    /// through, every erase of a 200 KB update (three 64 KiB block erases and a tail; an interrupted
    /// erase leaves each bit of the block at random), and after the program that follows each. The
    /// board must power on into the old version, VALID, from the old slot, and the update run again
    /// must end on the new version.
    /// </summary>
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void APowerCutInABlockEraseLeavesTheOldVersionAndTheUpdateRunsAgain(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var key = ManifestKey.Create();
        var image = AppReleases.Firmware(chip, "2.0.0", gpio: false, codeBytes: 200_000);
        var spec = Boards.Spec(chip) with { Images = new Dictionary<string, byte[]> { ["ota_0"] = AppReleases.Firmware(chip, "1.0.0", gpio: false) } };
        var provisioned = Provisioner.Create(spec);
        OtaUpdater Updater(RebootHandler reboot)
        {
            var manifest = SignedManifest.Create(key, chip.Name, "2.0.0", 0, image.Length, SHA256.HashData(image), MemorySource.ImageUrl, null);
            return new OtaUpdater(new MemorySource(manifest, image), key.PublicKeyBytes(), new UpdateOptions { ChunkSize = 4096 }) { Reboot = reboot, Sleep = _ => { } };
        }
        var start = provisioned.PoweredOffCopy();
        Assert.True(start.PowerOn().Booted);
        var checkpoints = MutationCheckpoints.Record(start, board =>
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            Updater(() => { }).Update(MemorySource.ManifestUrl);
        });
        Assert.Empty(checkpoints.Violations);
        var erases = Enumerable.Range(1, checkpoints.Count).Where(n => checkpoints.Mutation(n).Kind is FlashOperationKind.EraseBlock or FlashOperationKind.EraseSector).ToList();
        Assert.True(erases.Count(n => checkpoints.Mutation(n).Kind == FlashOperationKind.EraseBlock) >= 3);
        var cuts = erases.SelectMany(n => PowerCutRunner.StandardFractions.Select(f => new PowerCut(n, f, n * 7 + (int)(f * 10))))
            .Concat(erases.Where(n => n < checkpoints.Count).Select(n => new PowerCut(n + 1, 1.0, n)))
            .ToList();
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (board, cut) =>
        {
            var boot = board.PowerOn();
            if (!boot.Booted) return $"no boot: {boot}";
            // Every cut but the program after the last erase (the new otadata entry) comes before the
            // new entry lands: the old version must run, VALID.
            var lastErase = cut.Operation == erases[^1] + 1;
            if (!lastErase && PowerLossMatrixTests.Runs(board, "1.0.0", "ota_0", OtaImageState.Valid) is { } wrong) return wrong;
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            if (board.RunningVersion() == "1.0.0")
            {
                Assert.Throws<DeviceRestartedException>(() => Updater(NativeOta.Reboot).Update(MemorySource.ManifestUrl));
            }
            return board.RunningVersion() == "2.0.0" ? null : $"after the update again: {board.RunningVersion()}";
        });
        var failures = outcomes.Where(o => !o.Ok).ToList();
        output.WriteLine($"block-erase cuts: {checkpoints.Count} mutations, {erases.Count} erases, {cuts.Count} cuts, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.All(outcomes, o => Assert.True(o.Triggered, $"{o.Cut} never fired"));
    }

    /// <summary>
    /// Erasing ahead is a native call of its own (issue 23): no call of a firmware + app update
    /// both erases and programs the update slot or its deploy partition, and none keeps the flash
    /// busy longer than one 64 KiB block erase (Wi-Fi starves under long calls).
    /// </summary>
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task NoNativeCallErasesAndProgramsOrOutlastsABlockErase(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Parse(chip), DeviceSpec.PairedCsv));
        var (firmware, _) = PublishFirmwareAndApp(rig);
        var log = rig.Device.Flash.Log;
        var marks = new List<int> { log.Count };
        NativeHostRuntime.CallEnded = () => marks.Add(log.Count);
        try
        {
            Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));
        }
        finally
        {
            NativeHostRuntime.CallEnded = null;
        }

        var slot = rig.Device.Partitions!.FindByLabel("ota_1")!;
        var deploy = rig.Device.Partitions!.FindByLabel("deploy_1")!;
        bool Updated(FlashOperation o) => (o.Address >= slot.Address && o.Address < slot.Address + slot.Size) || (o.Address >= deploy.Address && o.Address < deploy.Address + deploy.Size);
        var limit = rig.Device.Flash.Timing.Erase(FlashOperationKind.EraseBlock);
        var calls = 0;
        for (var i = 1; i < marks.Count; i++)
        {
            var ops = Enumerable.Range(marks[i - 1], marks[i] - marks[i - 1]).Select(n => log[n]).Where(o => o.IsMutation).ToList();
            if (ops.Count == 0) continue;
            calls++;
            var busy = ops.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.Duration);
            Assert.True(busy <= limit, $"native call {i} kept the flash busy {busy.TotalMilliseconds:F1} ms: {string.Join(", ", ops.Take(3))}");
            var erases = ops.Any(o => Updated(o) && o.Kind != FlashOperationKind.Program);
            var programs = ops.Any(o => Updated(o) && o.Kind == FlashOperationKind.Program);
            Assert.False(erases && programs, $"native call {i} both erased and programmed: {string.Join(", ", ops.Take(3))}");
        }
        Assert.True(calls > firmware.Length / 4096, $"only {calls} native calls touched the flash");
        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
    }
}
