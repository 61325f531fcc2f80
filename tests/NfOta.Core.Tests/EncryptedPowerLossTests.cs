using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;
using Xunit.Abstractions;

namespace NfOta.Core.Tests;

/// <summary>
/// Power cut after every flash mutation of a pre-encrypted update (half-way through each too), on
/// ESP32 with an RSA-3072 device key and ESP32-C3 with an ECIES one, flash encryption and secure
/// boot v2 on: the board must come back on the old version (VALID) or, once the otadata write
/// landed, on the new one (PENDING_VERIFY), and running the update again must end on the new one.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class EncryptedPowerLossTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("esp32", "rsa3072")]
    [InlineData("esp32c3", "ecies-p256")]
    public void EveryCutBootsTheOldOrTheNewAndTheUpdateThenFinishes(string chipName, string scheme)
    {
        var chip = EspChip.Parse(chipName);
        using var deviceKey = EncryptedBoards.ForScheme(scheme);
        using var manifestKey = ManifestKey.Create();
        var spec = EncryptedBoards.Spec(chip, deviceKey, running: PowerLossMatrixTests.TinyImage(chip, "1.0.0"));
        var image = PowerLossMatrixTests.TinyImage(chip, "2.0.0");
        var folder = Path.Combine(Path.GetTempPath(), "nfota-encpl-" + Guid.NewGuid().ToString("N")[..8]);
        byte[] manifest, file;
        try
        {
            var package = ReleasePackage.Create(image, manifestKey, "http://matrix/", folder, blockSize: 4096, encryptFor: deviceKey);
            manifest = File.ReadAllBytes(Path.Combine(folder, package.ManifestFile));
            file = File.ReadAllBytes(Path.Combine(folder, package.ImageFile!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.Equal(image.Length + 512, file.Length);

        var provisioned = Provisioner.Create(spec);
        VirtualEsp32 Board()
        {
            var board = provisioned.PoweredOffCopy();
            Assert.True(board.PowerOn().Booted);
            return board;
        }
        OtaUpdater Updater() => new(new MemorySource(manifest, file), manifestKey.PublicKeyBytes(), new UpdateOptions { ChunkSize = 1024 })
        {
            Reboot = () => { },
            Sleep = _ => { },
        };
        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            Updater().Update(MemorySource.ManifestUrl);
        }

        var checkpoints = MutationCheckpoints.Record(Board(), Update);
        var mutations = checkpoints.Count;
        var scenario = $"pre-encrypted {chipName}/{scheme}";
        const int random = 300;
        var cuts = CutReport.WithRandom(PowerCutRunner.EveryMutation(mutations, 1.0, 0.5), mutations, random, scenario);
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (b, cut) =>
        {
            try
            {
                var landed = cut.Operation == mutations && cut.Fraction >= 1.0;
                var wrong = landed ? PowerLossMatrixTests.Runs(b, "2.0.0", "ota_1", OtaImageState.PendingVerify) : PowerLossMatrixTests.Runs(b, "1.0.0", "ota_0", OtaImageState.Valid);
                if (wrong is not null) return wrong;
                using (var session = NfOta.NativeHost.NativeHost.Attach(b))
                {
                    if (NativeOta.GetSlotState("") == NativeOtaStatus.StatePendingVerify)
                    {
                        Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
                    }
                    if (b.RunningVersion() != "2.0.0")
                    {
                        Updater().Update(MemorySource.ManifestUrl);
                        Assert.Equal(0, session.OpenNativeHandles);
                    }
                }
                if (b.RunningVersion() != "2.0.0") b.Restart(); // the update ran again: boot it
                return b.RunningVersion() == "2.0.0" ? null : $"the update run again left {b.RunningVersion()}";
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        CutReport.AssertHeld(output, scenario, scenario, mutations, random, outcomes);
        Assert.True(cuts.Count > 20);
    }
}
