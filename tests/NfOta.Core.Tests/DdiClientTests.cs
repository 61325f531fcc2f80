using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>
/// The board's DDI client against a hawkBit-shaped server, on the emulated secured board: poll,
/// deployment, the engine installs, and the feedback the server sees through reboot, confirmation,
/// rollback and refusal (issue 25).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class DdiClientTests
{
    public static TheoryData<string> Chips() => new(["esp32", "esp32c3"]);

    [Theory]
    [MemberData(nameof(Chips))]
    public async Task InstallsThenReportsRebootedPendingThenConfirmed(string chip)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Parse(chip));
        var ddi = DdiRig.Server();
        var v2 = rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "7", DdiRig.ReleaseFiles(rig, "2.0.0"));

        var restart = Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        Assert.Equal("ota_1", restart.Boot.Partition!.Name);
        Assert.Equal(["download/none", "downloaded/none", "proceeding/none [installing]"], DdiRig.Seen(ddi));
        // The image came from the deployment's link, not from the URL in the manifest.
        Assert.Contains(rig.Server.Requests, r => r.Path == "/ddi/7/" + UpdateRig.ImageFile("2.0.0"));
        Assert.DoesNotContain(rig.Server.Requests, r => r.Path == "/" + UpdateRig.ImageFile("2.0.0"));
        Assert.Equal(v2, rig.SlotBytes("ota_1", v2.Length));
        var before = Assert.Single(ddi.ConfigData);
        Assert.Equal(("1.0.0", "ota_0", chip, "valid", ""), (before["firmware"], before["slot"], before["chip"], before["state"], before["lastError"]));

        // First boot of 2.0.0, before the guard: the board says so, the action stays open.
        var client = DdiRig.Client(rig, ddi);
        Assert.Equal(DdiOutcome.RebootedPending, client.Poll());
        Assert.Equal(DdiOutcome.RebootedPending, client.Poll()); // not said twice
        Assert.Equal("proceeding/none [rebooted-pending]", DdiRig.Seen(ddi)[^1]);
        Assert.Equal(4, ddi.Feedback.Count);
        Assert.Equal("pending-verify", ddi.ConfigData[^1]["state"]);

        Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Add(new HealthCheck("wifi", () => true)).Run().Outcome);
        Assert.Equal(DdiOutcome.Confirmed, client.Poll());
        Assert.Equal("closed/success [confirmed]", DdiRig.Seen(ddi)[^1]);
        Assert.Null(ddi.OpenAction);
        Assert.Equal(DdiOutcome.Idle, client.Poll());
        var after = ddi.ConfigData[^1];
        Assert.Equal(("2.0.0", "", "ota_1", "valid"), (after["firmware"], after["app"], after["slot"], after["state"])); // no deploy partitions: no app record
        Assert.Equal(300, client.PollSeconds);
    }

    [Fact]
    public async Task AReleaseRolledBackAfterItsRebootIsReportedAsAFailureByTheOldFirmware()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "12", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        Assert.Equal(DdiOutcome.RebootedPending, DdiRig.Client(rig, ddi).Poll());

        var failing = new RollbackGuard().Add(new HealthCheck("mqtt", () => false));
        Assert.Equal("ota_0", Assert.Throws<DeviceRestartedException>(() => failing.Run()).Boot.Partition!.Name);
        Assert.Equal("1.0.0", rig.Device.RunningVersion());

        // Back on 1.0.0, with nothing remembered: otadata and the slot say what happened.
        var client = DdiRig.Client(rig, ddi);
        Assert.Equal(DdiOutcome.RolledBack, client.Poll());
        var last = ddi.Feedback[^1];
        Assert.Equal(("12", "closed", "failure"), (last.ActionId, last.Execution, last.Finished));
        Assert.StartsWith("[rolled-back] 2.0.0 booted in ota_1", last.Detail);
        Assert.Null(ddi.OpenAction);
        Assert.Equal(DdiOutcome.Idle, client.Poll());
        Assert.StartsWith("[rolled-back]", ddi.ConfigData[^1]["lastError"]);
        Assert.Equal("1.0.0", ddi.ConfigData[^1]["firmware"]);
        Assert.Equal(NativeOtaStatus.StateInvalid, NativeOta.GetSlotState("ota_1"));

        // Offered again, the same rolled-back release is refused without another try.
        var mutations = rig.Device.Flash.MutationCount;
        DdiRig.Assign(rig, ddi, "13", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Equal(DdiOutcome.RolledBack, client.Poll());
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
    }

    [Fact]
    public async Task AFirmwareThatNeverConfirmsIsAbortedByTheBootloaderAndReportedRolledBack()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "14", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        Assert.Equal("2.0.0", rig.Device.RunningVersion());

        // The new firmware's app never gets to its guard: the next reset boots the old one.
        Assert.Equal("ota_0", rig.Device.Restart().Partition!.Name);
        Assert.Equal(NativeOtaStatus.StateAborted, NativeOta.GetSlotState("ota_1"));
        Assert.Equal(DdiOutcome.RolledBack, DdiRig.Client(rig, ddi).Poll());
        Assert.Equal("closed/failure [rolled-back]", DdiRig.Seen(ddi)[^1]);
    }

    [Fact]
    public async Task AClosingFeedbackTheServerDidNotTakeIsSentAgainAtTheNextPoll()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "15", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        var client = DdiRig.Client(rig, ddi);
        Assert.Equal(DdiOutcome.RebootedPending, client.Poll());
        Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);

        ddi.FailFeedback = 1;
        var e = Assert.Throws<OtaException>(() => client.Poll());
        Assert.Equal((OtaError.HttpStatus, 503, true), (e.Error, e.HttpStatus, e.IsTransient));
        Assert.Equal("15", ddi.OpenAction);
        Assert.Equal(DdiOutcome.Confirmed, client.Poll());
        Assert.Equal("closed/success [confirmed]", DdiRig.Seen(ddi)[^1]);
        Assert.Null(ddi.OpenAction);
    }

    [Fact]
    public async Task AnIntermediateFeedbackTheServerDidNotTakeDoesNotStopTheInstall()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        var image = rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "16", DdiRig.ReleaseFiles(rig, "2.0.0"));
        ddi.FailFeedback = 2; // download and downloaded are lost
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        Assert.Equal(["proceeding/none [installing]"], DdiRig.Seen(ddi));
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
    }

    [Fact]
    public async Task AReleaseSignedWithAnotherKeyIsRefusedWithTheEngineCodeAndNothingIsWritten()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        var image = rig.Publish("2.0.0");
        using var other = NfOta.Packaging.ManifestKey.Create();
        rig.PublishManifest("2.0.0", image.Length, System.Security.Cryptography.SHA256.HashData(image), UpdateRig.ImageFile("2.0.0"), key: other);
        DdiRig.Assign(rig, ddi, "3", "latest.manifest", UpdateRig.ImageFile("2.0.0"));
        var mutations = rig.Device.Flash.MutationCount;

        var client = DdiRig.Client(rig, ddi);
        Assert.Equal(DdiOutcome.Refused, client.Poll());

        Assert.Equal(["closed/failure [manifest-signature]"], DdiRig.Seen(ddi));
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
        Assert.DoesNotContain(rig.Server.Requests, r => r.Path.EndsWith(".bin"));
        Assert.StartsWith("[manifest-signature]", client.LastError);
        Assert.Equal(DdiOutcome.Idle, client.Poll());
        Assert.StartsWith("[manifest-signature]", ddi.ConfigData[^1]["lastError"]);
    }

    [Fact]
    public async Task ADeploymentWithoutAManifestIsRefusedAsNotAnNfOtaRelease()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        DdiRig.Assign(rig, ddi, "4", UpdateRig.ImageFile("2.0.0"));
        Assert.Equal(DdiOutcome.Refused, DdiRig.Client(rig, ddi).Poll());
        Assert.Equal(["closed/failure [ddi-no-manifest]"], DdiRig.Seen(ddi));
    }

    [Fact]
    public async Task ADownloadCutOffPastTheRetriesIsRetriedAtTheNextPollFromTheVerifiedBlocks()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        var image = rig.Publish("2.0.0", codeBytes: 300_000);
        DdiRig.Assign(rig, ddi, "5", DdiRig.ReleaseFiles(rig, "2.0.0"));
        var file = "ddi/5/" + UpdateRig.ImageFile("2.0.0");
        rig.Faults.Add(file, new Fault(FaultKind.ResetAfter, 200_000));
        var options = new UpdateOptions { MaxRetries = 0 };

        Assert.Equal(DdiOutcome.Retrying, DdiRig.Client(rig, ddi, options: options).Poll());
        Assert.Equal(["download/none", "proceeding/none [network]"], DdiRig.Seen(ddi));
        Assert.Equal("5", ddi.OpenAction); // still open

        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi, options: options).Poll());
        var resumed = rig.Server.Requests.Where(r => r.Path == "/" + file).ToList();
        Assert.Equal(2, resumed.Count);
        Assert.StartsWith("bytes=", resumed[1].Range);
        Assert.True(int.Parse(resumed[1].Range!["bytes=".Length..].TrimEnd('-')) >= 65536, resumed[1].Range);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Equal("proceeding/none [installing]", DdiRig.Seen(ddi)[^1]);
    }

    [Fact]
    public async Task AnInstallCancelledBeforeADeepSleepGoesOnFromItsVerifiedBlocksAfterTheWakeUp()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32C3);
        var ddi = DdiRig.Server();
        var image = rig.Publish("2.0.0", codeBytes: 300_000);
        DdiRig.Assign(rig, ddi, "17", DdiRig.ReleaseFiles(rig, "2.0.0"));
        var awake = DdiRig.Client(rig, ddi);
        awake.Progress = (done, _) =>
        {
            if (done >= 150_000)
            {
                awake.Cancel.Cancel(); // the wake-up's budget is spent
            }
        };
        Assert.Equal(DdiOutcome.Retrying, awake.Poll());
        Assert.Equal("proceeding/none [cancelled]", DdiRig.Seen(ddi)[^1]);
        Assert.Equal("17", ddi.OpenAction);

        Assert.Equal("ota_0", rig.Device.Restart().Partition!.Name); // deep sleep: a reboot into the old firmware
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        var file = "/ddi/17/" + UpdateRig.ImageFile("2.0.0");
        var gets = rig.Server.Requests.Where(r => r.Path == file).ToList();
        Assert.Equal(2, gets.Count);
        Assert.True(int.Parse(gets[1].Range!["bytes=".Length..].TrimEnd('-')) >= 65536, gets[1].Range);
        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
    }

    [Fact]
    public async Task ABoardPendingVerificationOfferedAnotherReleaseLeavesTheActionOpen()
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));
        rig.Publish("3.0.0");
        DdiRig.Assign(rig, ddi, "9", DdiRig.ReleaseFiles(rig, "3.0.0"));
        Assert.Equal(DdiOutcome.Retrying, DdiRig.Client(rig, ddi).Poll());
        Assert.Equal(["download/none", "proceeding/none [pending-verify]"], DdiRig.Seen(ddi));
        Assert.Equal("9", ddi.OpenAction);
    }

    [Theory]
    [InlineData("unavailable", "forced")]
    [InlineData(null, "skip")]
    public async Task ADeploymentThatSaysNotNowIsLeftAlone(string? window, string download)
    {
        await using var rig = await UpdateRig.StartAsync(EspChip.Esp32);
        var ddi = DdiRig.Server();
        rig.Publish("2.0.0");
        var files = DdiRig.ReleaseFiles(rig, "2.0.0");
        ddi.Assign("6", files.Select(f => (f, File.ReadAllBytes(Path.Combine(rig.Directory, f)), rig.Server.UrlOf(f).ToString())), window, download);
        Assert.Equal(DdiOutcome.Deferred, DdiRig.Client(rig, ddi).Poll());
        Assert.Empty(ddi.Feedback);
        Assert.Empty(rig.Server.Requests);
    }
}
