using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Power cut after every flash mutation (and half-way through each) of every step of an update's
/// life, on ESP32 and ESP32-C3 with flash encryption and secure boot v2, driven by the device's own
/// code: the engine, the C component, emulated ESP-IDF and bootloader. After each cut the board is
/// powered on and must boot a valid image of an expected version with no flash violation; where an
/// app would, the update is then run again and must end on the new version.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PowerLossMatrixTests(ITestOutputHelper output)
{
    public static TheoryData<string> Chips() => new(["esp32", "esp32c3"]);

    /// <summary>A small but complete signed image, so every mutation can be cut in CI time.</summary>
    private static byte[] TinyImage(EspChip chip, string version)
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

        public VirtualEsp32 Board(byte[]? flash, bool powerOn = true)
        {
            var board = Provisioner.Create(Spec);
            if (flash is not null) board.Flash.Load(0, flash);
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

    /// <summary>Runs the cuts; returns how many were tried. Fails with every bad outcome listed.</summary>
    private int Cut(string scenario, Func<VirtualEsp32> board, Action<VirtualEsp32> steps, Func<VirtualEsp32, PowerCut, string?> check)
    {
        var mutations = PowerCutRunner.CountMutations(board, steps);
        var cuts = PowerCutRunner.EveryMutation(mutations, 1.0, 0.5).ToList();
        var outcomes = PowerCutRunner.Run(board, steps, cuts, (b, cut) =>
        {
            try
            {
                return check(b, cut);
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        var failures = outcomes.Where(o => !o.Ok).ToList();
        output.WriteLine($"{scenario}: {mutations} flash mutations, {cuts.Count} cut points (after each, and half-way through each), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{scenario}: " + string.Join("\n", failures.Take(10)));
        Assert.All(outcomes, o => Assert.True(o.Triggered, $"{o.Cut} never fired"));
        return cuts.Count;
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void AFullUpdateAndSettingTheBootSlot(string chipName)
    {
        var m = Create(chipName);
        int streamed = 0, bootSet = 0;
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            var start = board.Flash.MutationCount;
            var updater = m.Updater("2.0.0", () => bootSet = board.Flash.MutationCount - start);
            updater.Progress = (done, total) => { if (done == total) streamed = board.Flash.MutationCount - start; };
            updater.Apply(updater.FetchManifest(MemorySource.ManifestUrl));
        }
        PowerCutRunner.CountMutations(() => m.Board(null), Update);
        Assert.InRange(streamed, 5, bootSet - 1);

        var cuts = Cut("full update + set boot slot", () => m.Board(null), Update, (board, cut) =>
        {
            var version = board.RunningVersion();
            var expected = cut.Operation <= streamed ? "1.0.0" : cut.Operation > bootSet ? "2.0.0" : version;
            if (version != expected) return $"booted {version}, expected {expected}";
            m.AppRuns(board, "2.0.0"); // the app confirms, or runs the update again
            return null;
        });
        output.WriteLine($"  of which during esp_ota_end + esp_ota_set_boot_partition: {2 * (bootSet - streamed)}");
        Assert.True(cuts > 50);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void TheFirstBootOfTheNewImage(string chipName)
    {
        var m = Create(chipName);
        var board = m.Board(null);
        using (NfOta.NativeHost.NativeHost.Attach(board))
        {
            m.Updater("2.0.0").Update(MemorySource.ManifestUrl); // boot slot set, not restarted
        }
        var updated = board.Flash.Dump();
        Cut("first boot (NEW -> PENDING_VERIFY)", () => m.Board(updated, powerOn: false), b => b.PowerOn(), (b, _) =>
        {
            if (b.RunningVersion() is not ("1.0.0" or "2.0.0") and var v) return $"booted {v}";
            m.AppRuns(b, "2.0.0");
            return null;
        });
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void ConfirmingTheNewImage(string chipName)
    {
        var m = Create(chipName);
        var board = m.Board(null);
        using (NfOta.NativeHost.NativeHost.Attach(board))
        {
            m.Updater("2.0.0").Update(MemorySource.ManifestUrl); // boot slot set (NEW), not restarted
        }
        var updated = board.Flash.Dump();
        // Each board powers on first (2.0.0's first boot, PENDING_VERIFY); the cuts start after it.
        Cut("confirm (mark valid)", () => m.Board(updated), b =>
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
        }, (b, _) =>
        {
            // Confirmed: 2.0.0, VALID. Cut before the confirmation landed: the bootloader treats the
            // unconfirmed 2.0.0 as failed and boots 1.0.0, as ESP-IDF does; the app updates again.
            var version = b.RunningVersion();
            Assert.Equal(EspErr.ESP_OK, b.Ota!.GetStatePartition(b.RunningPartition, out var state));
            if (version == "2.0.0" && state != Esp32.OtaData.OtaImageState.Valid) return $"2.0.0 runs in state {state}";
            if (version != "1.0.0" && version != "2.0.0") return $"booted {version}";
            m.AppRuns(b, "2.0.0");
            return null;
        });
    }

    /// <summary>A flash image with 2.0.0 confirmed in one slot and 3.0.0 installed in the other, set to boot next.</summary>
    private static byte[] ThreeOverTwo(Matrix m)
    {
        var board = m.Board(null);
        m.AppRuns(board, "2.0.0");
        using (NfOta.NativeHost.NativeHost.Attach(board))
        {
            m.Updater("3.0.0").Update(MemorySource.ManifestUrl);
        }
        return board.Flash.Dump();
    }

    /// <summary>A fresh board from that image, powered on: 3.0.0 runs PENDING_VERIFY.</summary>
    private static VirtualEsp32 BoardRunningThree(Matrix m, byte[] flash)
    {
        var b = m.Board(flash);
        Assert.Equal("3.0.0", b.RunningVersion());
        return b;
    }

    /// <summary>After a rollback of 3.0.0: the board runs 2.0.0, VALID; otherwise what is wrong.</summary>
    private static string? RunsThePreviousValidTwo(VirtualEsp32 b)
    {
        var version = b.RunningVersion();
        if (version != "2.0.0") return $"booted {version}, expected the previous 2.0.0";
        Assert.Equal(EspErr.ESP_OK, b.Ota!.GetStatePartition(b.RunningPartition, out var state));
        return state == Esp32.OtaData.OtaImageState.Valid ? null : $"2.0.0 runs in state {state}";
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void RollingBackAFailedImage(string chipName)
    {
        var m = Create(chipName);
        var updated = ThreeOverTwo(m);
        Cut("rollback (mark invalid)", () => BoardRunningThree(m, updated), b =>
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            // Marks 3.0.0 invalid and restarts into 2.0.0 (the restart's boot is in the matrix too).
            // (A power cut must propagate as PowerLossException to the runner, so no Assert.Throws here.)
            try
            {
                new RollbackGuard().Add(new HealthCheck("broken", () => false)).Run();
                Assert.Fail("the failing check did not roll back");
            }
            catch (DeviceRestartedException)
            {
            }
        }, (b, _) => RunsThePreviousValidTwo(b));
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void TheBootGuardRollingBackAFirmwareWhoseAppNeverStarts(string chipName)
    {
        var m = Create(chipName);
        var updated = ThreeOverTwo(m);
        var timeout = TimeSpan.FromSeconds(300); // CONFIG_NF_OTA_CONFIRM_TIMEOUT_S's default
        Cut("boot guard rollback (no managed code runs)", () => BoardRunningThree(m, updated), b =>
        {
            // 3.0.0 boots PENDING_VERIFY and its app never starts: only the native guard acts.
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            var restart = session.AdvanceTime(timeout);
            Assert.NotNull(restart);
        }, (b, _) =>
        {
            if (RunsThePreviousValidTwo(b) is { } wrong) return wrong;
            // Nothing is pending any more, so the guard stays quiet on 2.0.0.
            using var session = NfOta.NativeHost.NativeHost.Attach(b);
            return session.AdvanceTime(timeout * 2) is { } again ? $"the guard restarted 2.0.0 too: {again}" : null;
        });
    }
}
