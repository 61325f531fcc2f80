using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Core.Tests;
using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.InFieldUpdate.Host;
using NfOta.NativeHost.Tests;
using Xunit.Abstractions;

namespace NfOta.InFieldUpdate.Tests;

/// <summary>
/// A power cut after (and half-way through) every flash mutation of a session update, for both
/// image types and both directions (ota_0 to ota_1 and back): the board boots the pair it ran, or
/// (only once the new otadata entry landed) the new pair, pending verification; never a firmware
/// with another app, never nothing. Every fifth cut then runs the update again, which must succeed.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class SessionPowerLossTests(ITestOutputHelper output)
{
    public static TheoryData<string, ImageType, bool> Scenarios => new()
    {
        { "esp32", ImageType.Deployment, false },
        { "esp32c3", ImageType.Deployment, true },
        { "esp32c3", ImageType.NanoClr, false },
        { "esp32", ImageType.NanoClr, true },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ASessionUpdateCutAtEveryMutation(string chipName, ImageType image, bool back)
    {
        var chip = EspChip.Parse(chipName);
        IfuNative.SetPolicy([McuBootImages.Point(McuBootImages.Key)], acceptUnsigned: false);
        var firmware = AppReleases.Firmware(chip, "2.0.0", gpio: false);
        var app = AppReleases.App("1.1.0");
        var bytes = image == ImageType.NanoClr
            ? McuBootImages.Build(firmware, "2.0.0", McuBootImages.Key)
            : McuBootImages.Build(app.Image, "1.1.0", McuBootImages.Key);
        var before = "1.0.0 + 1.0.0";
        var after = image == ImageType.NanoClr ? "2.0.0 + 1.0.0" : "1.0.0 + 1.1.0";
        var start = Provisioning(chip, back, out var oldSlot, out var newSlot);

        void Update(VirtualEsp32 board)
        {
            using var session = NfOta.NativeHost.NativeHost.Attach(board);
            Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(image, bytes));
        }

        var board = start.PoweredOffCopy();
        Assert.True(board.PowerOn().Booted);
        var checkpoints = MutationCheckpoints.Record(board, Update);
        int mutations = checkpoints.Count;
        var scenario = $"in-field update {image} {chipName} {oldSlot} -> {newSlot}";
        const int random = 100;
        var cuts = CutReport.WithRandom(PowerCutRunner.EveryMutation(mutations, n => n == mutations ? PowerCutRunner.StandardFractions : [1.0, 0.5]), mutations, random, scenario);
        int index = 0;
        var outcomes = PowerCutRunner.Run(checkpoints, cuts, (b, cut) =>
        {
            try
            {
                bool landed = cut.Operation == mutations && cut.Fraction >= 1.0;
                var wrong = landed ? AppReleases.Runs(b, newSlot, after, OtaImageState.PendingVerify) : AppReleases.Runs(b, oldSlot, before, OtaImageState.Valid);
                if (wrong is not null || index++ % 5 != 0 || landed)
                {
                    return wrong;
                }
                Update(b);
                b.Restart();
                return AppReleases.Runs(b, newSlot, after, OtaImageState.PendingVerify);
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        CutReport.AssertHeld(output, scenario, scenario, mutations, random, outcomes);
        Assert.InRange(mutations, 20, 5000);
    }

    /// <summary>The board before the update: 1.0.0 + 1.0.0 confirmed in ota_0, or (back) in ota_1 after an update there.</summary>
    private static VirtualEsp32 Provisioning(EspChip chip, bool back, out string oldSlot, out string newSlot)
    {
        var board = NfOta.Emulator.Provisioning.Provisioner.Create(AppReleases.Spec(chip, AppReleases.SmallPairedCsv));
        Assert.True(board.PowerOn().Booted);
        (oldSlot, newSlot) = ("ota_0", "ota_1");
        if (back)
        {
            using (NfOta.NativeHost.NativeHost.Attach(board))
            {
                // The same pair again, through a session: it then runs from ota_1.
                Assert.Equal(UpdateSessionResult.Success, IfuRig.Install(ImageType.Deployment, McuBootImages.Build(AppReleases.App("1.0.0").Image, "1.0.0", McuBootImages.Key)));
                board.Restart();
                Assert.True(UpdateManager.ConfirmDeploymentImage());
            }
            (oldSlot, newSlot) = ("ota_1", "ota_0");
        }
        return board.PoweredOffCopy();
    }
}
