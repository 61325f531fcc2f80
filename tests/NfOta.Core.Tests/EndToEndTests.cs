using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>
/// The story on ESP32 and ESP32-C3 with flash encryption and secure boot v2: the engine
/// downloads over loopback HTTP, the C component writes through ESP-IDF's encrypted path, the
/// emulated bootloader boots it, the guard confirms or rolls back.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class EndToEndTests
{
    public static TheoryData<string> Chips() => new(["esp32", "esp32c3"]);

    [Theory]
    [MemberData(nameof(Chips))]
    public async Task UpdatesConfirmsThenRollsBackAFailingRelease(string chipName)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Parse(chipName));
        var v2 = rig.Publish("2.0.0");
        var progress = new List<(int Done, int Total)>();
        var updater = rig.Updater();
        updater.Progress = (done, total) => progress.Add((done, total));

        // v1 -> v2: the default reboot handler restarts the (emulated) board.
        var restart = Assert.Throws<DeviceRestartedException>(() => updater.Update(rig.LatestUrl));
        Assert.Equal("ota_1", restart.Boot.Partition!.Name);
        Assert.Equal(v2.Length, progress[^1].Done);
        Assert.All(progress, p => Assert.Equal(v2.Length, p.Total));
        Assert.Equal(v2, rig.SlotBytes("ota_1", v2.Length));
        Assert.Equal(0, rig.OpenNativeHandles);

        // First boot of v2: pending verification until the guard confirms it.
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
        Assert.Equal(NativeOtaStatus.StatePendingVerify, NativeOta.GetSlotState(""));
        var confirmed = new RollbackGuard().Add(new HealthCheck("wifi", () => true)).Run();
        Assert.Equal(GuardOutcome.Confirmed, confirmed.Outcome);
        Assert.Equal("ota_1", confirmed.Slot);
        Assert.Equal(NativeOtaStatus.StateValid, NativeOta.GetSlotState(""));
        Assert.Equal(GuardOutcome.NothingToVerify, new RollbackGuard().Run().Outcome);
        Assert.Null(rig.Updater().CheckForUpdate(rig.LatestUrl)); // nothing newer

        // v2 -> v3, whose health check fails: the board rolls back to v2 and stays there.
        var v3 = rig.Publish("3.0.0");
        Assert.Equal("ota_0", Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl)).Boot.Partition!.Name);
        Assert.Equal("3.0.0", rig.Device.RunningVersion());
        var failing = new RollbackGuard().Add(new HealthCheck("wifi", () => true)).Add(new HealthCheck("mqtt", () => false));
        var rollback = Assert.Throws<DeviceRestartedException>(() => failing.Run());
        Assert.Equal("ota_1", rollback.Boot.Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
        Assert.Equal(NativeOtaStatus.StateValid, NativeOta.GetSlotState(""));
        Assert.Equal(NativeOtaStatus.StateInvalid, NativeOta.GetSlotState("ota_0"));
        Assert.Equal(v3, rig.SlotBytes("ota_0", v3.Length)); // v3 is still there, marked invalid

        // A restart now still boots v2.
        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public async Task ADroppedConnectionResumesFromTheLastByteAndTheImageIsByteIdentical(string chipName)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Parse(chipName));
        var image = rig.Publish("2.0.0", codeBytes: 300_000);
        var file = "nf-ota-test-2.0.0.bin";
        rig.Faults.Add(file, new Fault(FaultKind.ResetAfter, 100_000));
        var updater = rig.Updater();
        updater.Reboot = () => { }; // look at the slot before restarting

        var result = updater.Update(rig.LatestUrl)!;

        Assert.Equal(1, result.Resumes);
        Assert.Equal(image.Length, result.BytesWritten);
        Assert.Equal(image.Length, result.BytesReceived); // nothing fetched twice
        var gets = rig.Server.Requests.Where(r => r.Path == "/" + file).ToList();
        Assert.Equal(2, gets.Count);
        Assert.True(gets[0].Aborted);
        Assert.Null(gets[0].Range);
        var resumedAt = long.Parse(gets[1].Range!["bytes=".Length..].TrimEnd('-'));
        // The server sent 100,000 bytes before the reset; the resume asks for the first byte the
        // board did not get, and the second response carries exactly the rest.
        Assert.Equal(100_000, gets[0].BodyBytes);
        Assert.Equal(100_000, resumedAt);
        Assert.Equal(image.Length - resumedAt, gets[1].BodyBytes);
        Assert.Equal(206, gets[1].Status);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Single(rig.Sleeps);

        Assert.Equal("ota_1", rig.Device.Restart().Partition!.Name);
        Assert.Equal("2.0.0", rig.Device.RunningVersion());
    }

}
