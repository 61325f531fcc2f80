using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

[Collection(NativeCollection.Name)]
public sealed class RollbackGuardTests
{
    private static async Task<UpdateRig> PendingAsync(EspChip chip, DeviceConfig? config = null)
    {
        var rig = await UpdateRig.StartAsync(chip, config);
        rig.Publish("2.0.0");
        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
        return rig;
    }

    [Fact]
    public async Task AHungCheckCountsAsFailedWhenTheBudgetRunsOut()
    {
        await using var rig = await PendingAsync(EspChip.Esp32);
        var guard = new RollbackGuard { BudgetMilliseconds = 200 }
            .Add(new HealthCheck("wifi", () => true))
            .Add(new HealthCheck("server", () => { Thread.Sleep(Timeout.Infinite); return true; }));
        GuardResult? seen = null;
        guard.RollBack = result => seen = result;

        var result = guard.Run();

        Assert.Same(result, seen);
        Assert.Equal(GuardOutcome.RolledBack, result.Outcome);
        Assert.Equal("server", result.FailedCheck);
        Assert.Equal("health check \"server\" did not finish within 200 ms", result.Message);
        Assert.Equal(NativeOtaStatus.StatePendingVerify, result.StateBefore);
        // A custom handler decides; nothing was marked yet.
        Assert.Equal(NativeOtaStatus.StatePendingVerify, NativeOta.GetSlotState(""));
    }

    [Fact]
    public async Task AThrowingCheckRollsBackAndSaysWhy()
    {
        await using var rig = await PendingAsync(EspChip.Esp32C3);
        var ran = new List<string>();
        var guard = new RollbackGuard()
            .Add(new HealthCheck("sensor", () => throw new InvalidOperationException("no I2C ACK")))
            .Add(new HealthCheck("never", () => { ran.Add("never"); return true; }));
        GuardResult? seen = null;
        guard.RollBack = result => seen = result;
        guard.Run();
        Assert.Equal("health check \"sensor\" threw InvalidOperationException: no I2C ACK", seen!.Message);
        Assert.Empty(ran);

        // The default handler: the board restarts into v1.
        guard.RollBack = null;
        Assert.Equal("ota_0", Assert.Throws<DeviceRestartedException>(() => guard.Run()).Boot.Partition!.Name);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());
    }

    [Fact]
    public async Task WithoutAppRollbackTheStateIsReportedNotGuessed()
    {
        await using var rig = await PendingAsync(EspChip.Esp32, new DeviceConfig { AppRollback = false });
        var result = new RollbackGuard().Add(new HealthCheck("never", () => throw new Exception("must not run"))).Run();
        Assert.Equal(GuardOutcome.RollbackNotEnabled, result.Outcome);
        Assert.Equal(NativeOtaStatus.StateUndefined, result.StateBefore);
        Assert.Contains("CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE", result.Message);
    }
}
