using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
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
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Power cut after every flash mutation, and early, half-way and late through each (leaving the
/// interrupted page or sector with seeded, unpredictable bits), of every step of an update's life,
/// in both directions (ota_0 → ota_1 and back), on ESP32 and ESP32-C3 with flash encryption and
/// secure boot v2, driven by the device's own code: the engine, the C component, emulated ESP-IDF
/// and bootloader. After each cut the board is powered on and must boot exactly the version, in
/// exactly the otadata state, that ESP-IDF's design promises for that cut, with no flash violation;
/// where an app would, the update is then run again and must end on the new version.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PowerLossMatrixTests(ITestOutputHelper output)
{
    /// <summary>Each chip, updating from ota_0 to ota_1 (1.0.0 → 2.0.0) and back from ota_1 to ota_0 (2.0.0 → 3.0.0).</summary>
    public static TheoryData<string, bool> ChipsBothWays() => new()
    {
        { "esp32", false }, { "esp32", true }, { "esp32c3", false }, { "esp32c3", true },
    };

    /// <summary>A small but complete signed image, so every mutation can be cut in CI time.</summary>
    internal static byte[] TinyImage(EspChip chip, string version)
    {
        var builder = new AppImageBuilder(chip)
        {
            Description = new AppDescription { Version = version, ProjectName = "matrix" },
            EntryAddress = chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u,
        };
        builder.AddSegment(chip.Drom.Start + 0x20, new byte[64]);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, System.Text.Encoding.ASCII.GetBytes(new string('x', 1500) + version));
        return SecureBootV2.Sign(builder.Build(), Boards.SigningKey);
    }

    private sealed class Matrix
    {
        public required EspChip Chip { get; init; }
        public required DeviceSpec Spec { get; init; }
        public required ManifestKey Key { get; init; }
        public required Dictionary<string, byte[]> Images { get; init; }

        /// <summary>Provisioned once; every board is a copy-on-write copy of it or of a later state.</summary>
        private VirtualEsp32? _provisioned;

        /// <summary>A board holding <paramref name="state"/>'s flash and eFuses (null: freshly provisioned), powered on unless told otherwise.</summary>
        public VirtualEsp32 Board(VirtualEsp32? state, bool powerOn = true)
        {
            var board = (state ?? (_provisioned ??= Provisioner.Create(Spec))).PoweredOffCopy();
            if (powerOn)
            {
                var boot = board.PowerOn();
                Assert.True(boot.Booted, boot.ToString());
            }
            return board;
        }

        public OtaUpdater Updater(string version, RebootHandler? reboot = null)
        {
            var image = Images[version];
            var manifest = SignedManifest.Create(Key, Chip.Name, version, 0, image.Length, SHA256.HashData(image), MemorySource.ImageUrl, null);
            return new OtaUpdater(new MemorySource(manifest, image), Key.PublicKeyBytes(), new UpdateOptions { ChunkSize = 1024 })
            {
                Reboot = reboot ?? (() => { }),
                Sleep = _ => { },
            };
        }

        /// <summary>What an app does after a boot: confirm a pending firmware, then install `version` if it is not running.</summary>
        public void AppRuns(VirtualEsp32 board, string version, bool confirm = true)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            Assert.Equal(0, session.OpenNativeHandles);
            if (confirm && NativeOta.GetSlotState("") == NativeOtaStatus.StatePendingVerify)
            {
                Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
            }
            if (board.RunningVersion() != version)
            {
                Assert.Throws<DeviceRestartedException>(() => Updater(version, NativeOta.Reboot).Update(MemorySource.ManifestUrl));
                Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
            }
            Assert.Equal(version, board.RunningVersion());
        }
    }

    private static Matrix Create(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var images = new Dictionary<string, byte[]> { ["1.0.0"] = TinyImage(chip, "1.0.0"), ["2.0.0"] = TinyImage(chip, "2.0.0"), ["3.0.0"] = TinyImage(chip, "3.0.0") };
        var spec = Boards.Spec(chip) with { Images = new Dictionary<string, byte[]> { ["ota_0"] = images["1.0.0"] } };
        return new Matrix { Chip = chip, Spec = spec, Key = ManifestKey.Create(), Images = images };
    }

    /// <summary>One direction: the flash the update starts from (null: a fresh board, 1.0.0 in ota_0), and the versions.</summary>
    private sealed record Direction(VirtualEsp32? Before, string Old, string New, string OldSlot, string NewSlot);

    private static Direction Way(Matrix m, bool back)
    {
        if (!back) return new Direction(null, "1.0.0", "2.0.0", "ota_0", "ota_1");
        var board = m.Board(null);
        m.AppRuns(board, "2.0.0"); // 2.0.0 confirmed in ota_1; the next update goes to ota_0
        return new Direction(board.PoweredOffCopy(), "2.0.0", "3.0.0", "ota_1", "ota_0");
    }

    /// <summary>The flash once the new version is installed and set to boot, before the restart.</summary>
    private static VirtualEsp32 Installed(Matrix m, Direction way)
    {
        var board = m.Board(way.Before);
        using (NfOta.NativeHost.NativeHost.Attach(board))
        {
            m.Updater(way.New).Update(MemorySource.ManifestUrl);
        }
        return board.PoweredOffCopy();
    }

    /// <summary>null when the board runs exactly this version from this slot in this otadata state; otherwise what differs.</summary>
    internal static string? Runs(VirtualEsp32 b, string version, string slot, OtaImageState state)
    {
        var running = $"{b.RunningVersion()} from {b.RunningPartition!.Label}";
        if (running != $"{version} from {slot}") return $"runs {running}, expected {version} from {slot}";
        var err = b.Ota!.GetStatePartition(b.RunningPartition, out var actual);
        return err == EspErr.ESP_OK && actual == state ? null : $"{version} runs in state {(err == EspErr.ESP_OK ? actual : err)}, expected {state}";
    }

    /// <summary>The otadata state of a slot that is not running, or null when otadata has no entry for it.</summary>
    private static OtaImageState? StateOf(VirtualEsp32 b, string slot) =>
        b.Ota!.GetStatePartition(b.Partitions!.FindByLabel(slot), out var state) == EspErr.ESP_OK ? state : null;

    /// <summary>null when otadata holds exactly this state for the new slot (null: no entry); otherwise what it holds.</summary>
    private static string? NewSlotIs(VirtualEsp32 b, Direction way, OtaImageState? expected)
    {
        var actual = StateOf(b, way.NewSlot);
        return actual == expected ? null : $"{way.NewSlot} is {actual?.ToString() ?? "untracked"}, expected {expected?.ToString() ?? "untracked"}";
    }

    /// <summary>Whether the cut let the last mutation of the step finish.</summary>
    private static bool LastMutationLanded(PowerCut cut, int mutations) => cut.Operation == mutations && cut.Fraction >= 1.0;

    /// <summary>Runs the cuts; returns how many were tried. Fails with every bad outcome listed.</summary>
    private int Cut(string scenario, Func<VirtualEsp32> board, Action<VirtualEsp32> steps, Func<VirtualEsp32, PowerCut, int, string?> check,
        Func<int, double[]>? fractionsOf = null, int random = 0)
    {
        var checkpoints = MutationCheckpoints.Record(board(), steps);
        var mutations = checkpoints.Count;
        fractionsOf ??= _ => PowerCutRunner.StandardFractions;
        var cuts = CutReport.WithRandom(PowerCutRunner.EveryMutation(mutations, fractionsOf), mutations, random, scenario);
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (b, cut) =>
        {
            try
            {
                return check(b, cut, mutations);
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        CutReport.AssertHeld(output, scenario, scenario, mutations, random, outcomes);
        return cuts.Count;
    }

    /// <summary>
    /// The matrices cut from checkpoints (the flash before each mutation of one uncut run) instead
    /// of running the update again up to every cut. That is only sound if both leave the same
    /// board: flash bit for bit, eFuses, and whether the cut fired. Checked here on a whole update,
    /// every third mutation, after it and part-way through (erases and programs alike).
    /// </summary>
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void CuttingFromACheckpointLeavesExactlyWhatAReplayLeaves(string chipName)
    {
        var m = Create(chipName);
        var way = Way(m, back: true);
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            m.Updater(way.New).Update(MemorySource.ManifestUrl);
        }
        var checkpoints = MutationCheckpoints.Record(m.Board(way.Before), Update);
        Assert.Empty(checkpoints.Violations);
        var cuts = PowerCutRunner.EveryMutation(checkpoints.Count + 1, 1.0, 0.5).Where(c => c.Operation % 3 == 1 || c.Operation >= checkpoints.Count).ToList();
        Assert.Contains(cuts, c => c.Fraction < 1 && checkpoints.Mutation(c.Operation).Kind != FlashOperationKind.Program);
        foreach (var cut in cuts)
        {
            var fromCheckpoint = checkpoints.CutAt(cut, out var triggered);
            var replayed = PowerCutRunner.CutByReplay(m.Board(way.Before), Update, cut, out var replayTriggered);
            Assert.Equal(replayTriggered, triggered);
            Assert.True(replayed.Flash.Dump().AsSpan().SequenceEqual(fromCheckpoint.Flash.Dump()), $"{cut}: the flash differs");
            Assert.Equal(replayed.EFuses.SecureVersion, fromCheckpoint.EFuses.SecureVersion);
            Assert.Equal(replayed.EFuses.FlashCryptCount, fromCheckpoint.EFuses.FlashCryptCount);
        }
        output.WriteLine($"{chipName}: {cuts.Count} cuts from checkpoints equal to their replays");
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void AFullUpdateAndSettingTheBootSlot(string chipName, bool back)
    {
        var m = Create(chipName);
        var way = Way(m, back);
        var streamed = 0;
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            var start = board.Flash.MutationCount;
            var updater = m.Updater(way.New);
            updater.Progress = (done, total) => { if (done == total) streamed = board.Flash.MutationCount - start; };
            updater.Apply(updater.FetchManifest(MemorySource.ManifestUrl));
        }

        // The step's last mutation is the program of the new otadata entry: only once it lands does
        // the new version boot.
        var probe = m.Board(way.Before);
        var first = probe.Flash.Log.Count;
        Update(probe);
        var last = probe.Flash.Log.Skip(first).Last(o => o.IsMutation);
        var otadata = probe.Partitions!.FindFirst(Esp32.Partitions.PartitionKinds.Data, Esp32.Partitions.PartitionKinds.DataOta)!;
        Assert.Equal(Emulator.Flash.FlashOperationKind.Program, last.Kind);
        Assert.InRange(last.Address, otadata.Address, otadata.Address + otadata.Size - 1);
        Assert.InRange(streamed, 5, probe.Flash.MutationCount - 2);

        // Cuts inside the image stream only ever touch the update slot: after and half-way suffice there.
        var cuts = Cut($"full update {way.OldSlot} -> {way.NewSlot}", () => m.Board(way.Before), Update, (board, cut, mutations) =>
        {
            var wrong = LastMutationLanded(cut, mutations)
                ? Runs(board, way.New, way.NewSlot, OtaImageState.PendingVerify)
                : Runs(board, way.Old, way.OldSlot, OtaImageState.Valid);
            if (wrong is not null) return wrong;
            m.AppRuns(board, way.New); // the app confirms, or runs the update again
            return null;
        }, n => n <= streamed ? [1.0, 0.5] : PowerCutRunner.StandardFractions, random: 400);
        Assert.True(cuts > 450);
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void TheFirstBootOfTheNewImage(string chipName, bool back)
    {
        var m = Create(chipName);
        var way = Way(m, back);
        var updated = Installed(m, way);
        var clean = m.Board(updated);
        Assert.Null(Runs(clean, way.New, way.NewSlot, OtaImageState.PendingVerify)); // uncut: NEW became PENDING_VERIFY

        Cut($"first boot {way.NewSlot} (NEW -> PENDING_VERIFY)", () => m.Board(updated, powerOn: false), b => b.PowerOn(), (b, cut, mutations) =>
        {
            // Cut before PENDING_VERIFY landed: the entry is gone or unreadable. Cut after: the next
            // boot finds the new image never confirmed and marks it ABORTED. Either way the old one runs.
            if (Runs(b, way.Old, way.OldSlot, OtaImageState.Valid) is { } wrong) return wrong;
            if (NewSlotIs(b, way, LastMutationLanded(cut, mutations) ? OtaImageState.Aborted : null) is { } state) return state;
            m.AppRuns(b, way.New);
            return null;
        });
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void ConfirmingTheNewImage(string chipName, bool back)
    {
        var m = Create(chipName);
        var way = Way(m, back);
        var updated = Installed(m, way);
        // Each board powers on first (the new image's first boot, PENDING_VERIFY); the cuts start after it.
        Cut($"confirm {way.NewSlot} (mark valid)", () => m.Board(updated), b =>
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
        }, (b, cut, mutations) =>
        {
            // Confirmed: the new image, VALID. Cut before the confirmation landed: the bootloader
            // treats the unconfirmed image as failed and boots the old one, as ESP-IDF does.
            var wrong = LastMutationLanded(cut, mutations)
                ? Runs(b, way.New, way.NewSlot, OtaImageState.Valid)
                : Runs(b, way.Old, way.OldSlot, OtaImageState.Valid);
            if (wrong is not null) return wrong;
            m.AppRuns(b, way.New);
            return null;
        });
    }

    /// <summary>A fresh board from an installed image, powered on: the new version runs PENDING_VERIFY.</summary>
    private static VirtualEsp32 RunningNew(Matrix m, VirtualEsp32 flash, Direction way)
    {
        var b = m.Board(flash);
        Assert.Null(Runs(b, way.New, way.NewSlot, OtaImageState.PendingVerify));
        return b;
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void RollingBackAFailedImage(string chipName, bool back)
    {
        var m = Create(chipName);
        var way = Way(m, back);
        var updated = Installed(m, way);
        Cut($"rollback {way.NewSlot} (mark invalid)", () => RunningNew(m, updated, way), b =>
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            // Marks the new image invalid and restarts into the old one (the restart's boot is in the matrix too).
            // (A power cut must propagate as PowerLossException to the runner, so no Assert.Throws here.)
            try
            {
                new RollbackGuard().Add(new HealthCheck("broken", () => false)).Run();
                Assert.Fail("the failing check did not roll back");
            }
            catch (DeviceRestartedException)
            {
            }
        }, (b, cut, mutations) =>
        {
            // ESP-IDF rewrites the new image's own entry (erase its sector, program INVALID): cut
            // before that landed, the entry is gone or unreadable; after, INVALID. Either way the old one runs.
            if (Runs(b, way.Old, way.OldSlot, OtaImageState.Valid) is { } wrong) return wrong;
            return NewSlotIs(b, way, LastMutationLanded(cut, mutations) ? OtaImageState.Invalid : null);
        });
    }

    [Theory]
    [MemberData(nameof(ChipsBothWays))]
    public void TheBootGuardRollingBackAFirmwareWhoseAppNeverStarts(string chipName, bool back)
    {
        var m = Create(chipName);
        var way = Way(m, back);
        var updated = Installed(m, way);
        var timeout = TimeSpan.FromSeconds(300); // CONFIG_NF_OTA_CONFIRM_TIMEOUT_S's default
        Cut($"boot guard rollback {way.NewSlot} (no managed code runs)", () => RunningNew(m, updated, way), b =>
        {
            // The new image boots PENDING_VERIFY and its app never starts: only the native guard acts.
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            var restart = session.AdvanceTime(timeout);
            Assert.NotNull(restart);
        }, (b, cut, mutations) =>
        {
            if (Runs(b, way.Old, way.OldSlot, OtaImageState.Valid) is { } wrong) return wrong;
            if (NewSlotIs(b, way, LastMutationLanded(cut, mutations) ? OtaImageState.Invalid : null) is { } state) return state;
            // Nothing is pending any more, so the guard stays quiet on the old version.
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            return session.AdvanceTime(timeout * 2) is { } again ? $"the guard restarted {way.Old} too: {again}" : null;
        });
    }
}
