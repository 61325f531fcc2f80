using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;
using NfOta.Transfer;
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Power cut after every flash mutation (and half-way or 10/50/90 % through it) of app-only and
/// firmware + app updates, both directions, ESP32 and ESP32-C3 with flash encryption and secure
/// boot v2, through the device's own code. After each cut the board powers on and must run exactly
/// the old release or (once the new otadata entry has landed) the new one: each firmware with the
/// app it was paired with, never a mix, the app started by the emulated nanoCLR. The app then
/// confirms, or runs the update again, and must end on the new release.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class AppPowerLossMatrixTests(ITestOutputHelper output)
{
    public static TheoryData<string, bool, bool> Scenarios() => new()
    {
        { "esp32", false, false }, { "esp32", false, true }, { "esp32", true, false }, { "esp32", true, true },
        { "esp32c3", false, false }, { "esp32c3", false, true }, { "esp32c3", true, false }, { "esp32c3", true, true },
    };

    private const string Base = "http://matrix/";

    /// <summary>Releases by version, packed by nfota's own packer and served from memory.</summary>
    private sealed class Releases : IImageSource
    {
        private readonly Dictionary<string, byte[]> _files = [];
        private string _latest = "";

        public required ManifestKey Key { get; init; }

        public void Add(ReleaseRequest request, string version)
        {
            var folder = Path.Combine(Path.GetTempPath(), "nfota-appmatrix-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var package = ReleasePackage.CreateRelease(request with { UrlBase = Base, OutDirectory = folder }, Key);
                foreach (var file in Directory.GetFiles(folder))
                {
                    _files[Base + Path.GetFileName(file)] = File.ReadAllBytes(file);
                }
                _files[Base + version + ".manifest"] = _files[Base + package.ManifestFile];
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        /// <summary>What latest.manifest offers from now on.</summary>
        public void Offer(string version) => _latest = version;

        public string LatestUrl => Base + "latest.manifest";

        public IImageStream Open(string url, int offset) =>
            new MemoryImageStream(url == LatestUrl ? _files[Base + _latest + ".manifest"] : _files[url], offset);
    }

    private sealed record Way(VirtualEsp32? Before, string Old, string New, string OldPair, string NewPair, string OldSlot, string NewSlot);

    private sealed class Matrix
    {
        public required EspChip Chip { get; init; }
        public required DeviceSpec Spec { get; init; }
        public required Releases Releases { get; init; }

        /// <summary>Provisioned once; every board is a copy-on-write copy of it or of a later state.</summary>
        private VirtualEsp32? _provisioned;

        public VirtualEsp32 Board(VirtualEsp32? state)
        {
            var board = (state ?? (_provisioned ??= Provisioner.Create(Spec))).PoweredOffCopy();
            var boot = board.PowerOn();
            Assert.True(boot.Booted, boot.ToString());
            return board;
        }

        public OtaUpdater Updater(RebootHandler reboot) =>
            new(Releases, Releases.Key.PublicKeyBytes(), new UpdateOptions { ChunkSize = 1024 }) { Reboot = reboot, Sleep = _ => { } };

        /// <summary>What the app does after a boot: confirm a pending release, then install `version` unless it runs.</summary>
        public void AppRuns(VirtualEsp32 board, string version, string pair)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            Assert.Equal(0, session.OpenNativeHandles);
            if (NativeOta.GetSlotState("") == NativeOtaStatus.StatePendingVerify)
            {
                Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
            }
            if (NfOta.Device.DeviceState.Read().RunningVersion.Text != version)
            {
                Releases.Offer(version);
                Assert.Throws<DeviceRestartedException>(() => Updater(NativeOta.Reboot).Update(Releases.LatestUrl));
                Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
            }
            Assert.Equal(pair, AppReleases.Pair(board));
        }
    }

    private static Matrix Create(string chipName, bool appOnly)
    {
        var chip = EspChip.Parse(chipName);
        var releases = new Releases { Key = ManifestKey.Create() };
        var fw1 = AppReleases.Firmware(chip, "1.0.0", gpio: false);
        var fw2 = AppReleases.Firmware(chip, "2.0.0", gpio: true);
        if (appOnly)
        {
            releases.Add(new ReleaseRequest { App = AppReleases.App("1.1.0"), Version = "1.1.0", ForFirmware = fw1, UrlBase = Base, OutDirectory = "" }, "1.1.0");
            releases.Add(new ReleaseRequest { App = AppReleases.App("1.2.0"), Version = "1.2.0", ForFirmware = fw1, UrlBase = Base, OutDirectory = "" }, "1.2.0");
        }
        else
        {
            releases.Add(new ReleaseRequest { Firmware = fw2, App = AppReleases.App("2.0.0", gpio: true), UrlBase = Base, OutDirectory = "" }, "2.0.0");
            releases.Add(new ReleaseRequest { Firmware = AppReleases.Firmware(chip, "3.0.0", gpio: true), App = AppReleases.App("3.0.0", gpio: true), UrlBase = Base, OutDirectory = "" }, "3.0.0");
        }
        var spec = AppReleases.Spec(chip, AppReleases.SmallPairedCsv) with
        {
            Images = new Dictionary<string, byte[]> { ["ota_0"] = fw1, ["deploy_0"] = AppReleases.App("1.0.0").Image },
        };
        return new Matrix { Chip = chip, Spec = spec, Releases = releases };
    }

    private static Way Direction(Matrix m, bool appOnly, bool back)
    {
        var (first, second) = appOnly ? ("1.1.0", "1.2.0") : ("2.0.0", "3.0.0");
        var (firstPair, secondPair) = appOnly ? ("1.0.0 + 1.1.0", "1.0.0 + 1.2.0") : ("2.0.0 + 2.0.0", "3.0.0 + 3.0.0");
        if (!back) return new Way(null, "1.0.0", first, "1.0.0 + 1.0.0", firstPair, "ota_0", "ota_1");
        var board = m.Board(null);
        m.AppRuns(board, first, firstPair); // the first release confirmed in ota_1; the next goes to ota_0
        return new Way(board.PoweredOffCopy(), first, second, firstPair, secondPair, "ota_1", "ota_0");
    }


    [Theory]
    [MemberData(nameof(Scenarios))]
    public void AnUpdateOfTheAppWithOrWithoutItsFirmware(string chipName, bool appOnly, bool back)
    {
        var m = Create(chipName, appOnly);
        var way = Direction(m, appOnly, back);
        m.Releases.Offer(way.New);
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            var updater = m.Updater(() => { });
            updater.Apply(updater.FetchManifest(m.Releases.LatestUrl));
        }

        // The last mutation must be the program of the new otadata entry: before it lands, nothing of the new release boots.
        var probe = m.Board(way.Before);
        var first = probe.Flash.Log.Count;
        Update(probe);
        var last = probe.Flash.Log.Skip(first).Last(o => o.IsMutation);
        var otadata = probe.Partitions!.FindFirst(Esp32.Partitions.PartitionKinds.Data, Esp32.Partitions.PartitionKinds.DataOta)!;
        Assert.Equal(FlashOperationKind.Program, last.Kind);
        Assert.InRange(last.Address, otadata.Address, otadata.Address + otadata.Size - 1);
        var appPartition = probe.Partitions.FindByLabel(way.NewSlot == "ota_1" ? "deploy_1" : "deploy_0")!;
        var appMutations = probe.Flash.Log.Skip(first).Count(o => o.IsMutation && o.Address >= appPartition.Address && o.Address < appPartition.Address + appPartition.Size);
        Assert.InRange(appMutations, 3, 200); // the app half is there (ESP32 programs encrypted flash 32 bytes at a time)

        // After every mutation; half-way through those in the app partition too (an interrupted program
        // or erase leaves seeded random bits there); 10/50/90 % through the otadata write that ends it.
        // (The firmware half's stream is cut the same way by PowerLossMatrixTests.)
        var sequence = probe.Flash.Log.Skip(first).Where(o => o.IsMutation).ToList();
        var checkpoints = MutationCheckpoints.Record(m.Board(way.Before), Update);
        var mutations = checkpoints.Count;
        Assert.Equal(sequence.Count, mutations);
        bool InApp(int n) => sequence[n - 1].Address >= appPartition.Address && sequence[n - 1].Address < appPartition.Address + appPartition.Size;
        var scenario = $"{(appOnly ? "app-only" : "firmware + app")} {chipName} {way.OldSlot} -> {way.NewSlot}";
        const int random = 150;
        var cuts = CutReport.WithRandom(PowerCutRunner.EveryMutation(mutations, n => n == mutations ? PowerCutRunner.StandardFractions : InApp(n) ? [1.0, 0.5] : [1.0]),
            mutations, random, scenario);
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (b, cut) =>
        {
            try
            {
                var landed = cut.Operation == mutations && cut.Fraction >= 1.0;
                var wrong = landed
                    ? AppReleases.Runs(b, way.NewSlot, way.NewPair, OtaImageState.PendingVerify)
                    : AppReleases.Runs(b, way.OldSlot, way.OldPair, OtaImageState.Valid);
                if (wrong is not null) return wrong;
                m.AppRuns(b, way.New, way.NewPair);
                return null;
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        CutReport.AssertHeld(output, $"{scenario} ({appMutations} in the app partition)", scenario, mutations, random, outcomes);
        Assert.True(cuts.Count > 20);
    }
}
