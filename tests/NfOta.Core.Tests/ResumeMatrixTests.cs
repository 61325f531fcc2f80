using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;
using NfOta.Transfer;
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Resume after a reboot (issue 15): power is cut after every flash mutation of an update (and
/// half-way through every tenth), both chips, both directions, flash encryption and secure boot v2
/// on; the board powers on, and the engine runs the same update again. It must end on the new
/// version, never boot a partial image, and fetch again at most one block of what it had fetched
/// before the cut (counted from what the source served).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ResumeMatrixTests(ITestOutputHelper output)
{
    private const int Block = 4096;
    private const string ManifestUrl = "http://resume/latest.manifest";
    private const string ImageUrl = "http://resume/fw.bin";

    public static TheoryData<string, bool> ChipsBothWays() => new()
    {
        { "esp32", false }, { "esp32", true }, { "esp32c3", false }, { "esp32c3", true },
    };

    /// <summary>Serves one release from memory and counts the image bytes it hands out.</summary>
    private sealed class CountingSource(byte[] manifest, byte[] image) : IImageSource
    {
        public long ImageBytesServed { get; set; }

        public IImageStream Open(string url, int offset) =>
            url == ManifestUrl ? new MemoryImageStream(manifest, offset) : new MemoryImageStream(image, offset, n => ImageBytesServed += n);
    }

    private static byte[] Image(EspChip chip, string version)
    {
        var code = new byte[5000];
        new Random(version.GetHashCode()).NextBytes(code);
        var builder = new AppImageBuilder(chip)
        {
            Description = new AppDescription { Version = version, ProjectName = "resume" },
            EntryAddress = chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u,
        };
        builder.AddSegment(chip.Drom.Start + 0x20, new byte[64]);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, code);
        return SecureBootV2.Sign(builder.Build(), Boards.SigningKey);
    }

    private static byte[] Manifest(ManifestKey key, EspChip chip, string version, byte[] image)
    {
        var folder = Path.Combine(Path.GetTempPath(), "nfota-resume-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ReleasePackage.Create(image, key, "http://resume/", folder, blockSize: Block);
            var text = File.ReadAllText(Path.Combine(folder, ReleasePackage.LatestManifest));
            // Same signed content, pointed at this source's image URL.
            var body = string.Join("", text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("signature=")).Select(l => (l.StartsWith("url=") ? "url=" + ImageUrl : l) + "\n"));
            return SignedManifest.SignBody(key, System.Text.Encoding.ASCII.GetBytes(body));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void EveryCutOfADownloadResumesAndRefetchesAtMostOneBlock(string chipName, bool back)
    {
        var chip = EspChip.Parse(chipName);
        using var key = ManifestKey.Create();
        var images = new Dictionary<string, byte[]> { ["1.0.0"] = Image(chip, "1.0.0"), ["2.0.0"] = Image(chip, "2.0.0"), ["3.0.0"] = Image(chip, "3.0.0") };
        var spec = Boards.Spec(chip) with { Images = new Dictionary<string, byte[]> { ["ota_0"] = images["1.0.0"] } };
        var (old, target, oldSlot, newSlot) = back ? ("2.0.0", "3.0.0", "ota_1", "ota_0") : ("1.0.0", "2.0.0", "ota_0", "ota_1");
        var source = new CountingSource(Manifest(key, chip, target, images[target]), images[target]);
        Assert.InRange((images[target].Length + Block - 1) / Block, 3, 5); // a few blocks, the last the signature sector

        OtaUpdater Updater(RebootHandler reboot) =>
            new(source, key.PublicKeyBytes(), new UpdateOptions { ChunkSize = 1024 }) { Reboot = reboot, Sleep = _ => { } };

        var provisioned = Provisioner.Create(spec);
        VirtualEsp32? before = null;
        if (back)
        {
            var first = provisioned.PoweredOffCopy();
            first.PowerOn();
            using (NfOta.NativeHost.NativeHost.Attach(first))
            {
                var previous = new CountingSource(Manifest(key, chip, "2.0.0", images["2.0.0"]), images["2.0.0"]);
                Assert.Throws<DeviceRestartedException>(() => new OtaUpdater(previous, key.PublicKeyBytes(), new UpdateOptions()).Update(ManifestUrl));
                Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
            }
            before = first.PoweredOffCopy();
        }
        VirtualEsp32 Board()
        {
            var board = (before ?? provisioned).PoweredOffCopy();
            Assert.True(board.PowerOn().Booted);
            return board;
        }
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            source.ImageBytesServed = 0;
            Updater(() => { }).Update(ManifestUrl);
        }

        // What the server had sent when power went: a replay would have counted it up to the cut.
        var checkpoints = MutationCheckpoints.Record(Board(), Update, () => source.ImageBytesServed);
        var mutations = checkpoints.Count;
        var scenario = $"resume {chipName} {oldSlot} -> {newSlot}";
        const int random = 120;
        var cuts = CutReport.WithRandom(PowerCutRunner.EveryMutation(mutations, n => n % 10 == 0 ? [1.0, 0.5] : [1.0]), mutations, random, scenario);
        var worst = 0L;
        var resumed = 0;
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (b, cut) =>
        {
            try
            {
                var servedBefore = checkpoints.Observed(cut.Operation);
                var landed = cut.Operation == mutations && cut.Fraction >= 1.0;
                var running = $"{b.RunningVersion()} from {b.RunningPartition!.Label}";
                if (running != (landed ? $"{target} from {newSlot}" : $"{old} from {oldSlot}")) return $"runs {running} after the cut";
                using var session = NfOta.NativeHost.NativeHost.Attach(b);
                if (landed)
                {
                    return new RollbackGuard().Run().Outcome == GuardOutcome.Confirmed ? null : "the new image did not confirm";
                }
                source.ImageBytesServed = 0;
                var result = Updater(NativeOta.Reboot) is var u ? Assert.Throws<DeviceRestartedException>(() => u.Update(ManifestUrl)) : null;
                var refetched = servedBefore + source.ImageBytesServed - images[target].Length;
                worst = Math.Max(worst, refetched);
                if (refetched > Block) return $"fetched {refetched} bytes twice (at most one block, {Block})";
                if ($"{b.RunningVersion()} from {b.RunningPartition!.Label}" != $"{target} from {newSlot}") return "did not end on the new version";
                if (b.Ota!.GetStatePartition(b.RunningPartition, out var state) != EspErr.ESP_OK || state != OtaImageState.PendingVerify) return $"the new version runs {state}";
                if (servedBefore >= Block) resumed++;
                return null;
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        CutReport.AssertHeld(output, $"{scenario}, at most {worst} bytes fetched twice, {resumed} cuts after a first block", scenario, mutations, random, outcomes);
        Assert.True(resumed > cuts.Count / 3, $"only {resumed} of {cuts.Count} cuts had a block to keep");
    }
}
