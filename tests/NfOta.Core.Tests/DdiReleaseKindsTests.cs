using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>App-only, firmware-and-app and pre-encrypted releases installed through the DDI client, each to confirmation.</summary>
[Collection(NativeCollection.Name)]
public sealed class DdiReleaseKindsTests
{
    private static ReleasePackage Publish(UpdateRig rig, byte[]? firmware = null, AppPart? app = null, string? version = null, byte[]? forFirmware = null, bool force = false) =>
        ReleasePackage.CreateRelease(new ReleaseRequest
        {
            Firmware = firmware, App = app, Version = version, ForFirmware = forFirmware, Chip = forFirmware is null && firmware is null ? rig.Chip.Name : null,
            UrlBase = rig.Server.BaseUri.ToString(), OutDirectory = rig.Directory, SkipNativeCheck = force,
        }, rig.Key);

    private static string[] Files(ReleasePackage package) =>
        new[] { package.ManifestFile, package.ImageFile, package.AppFile }.Where(f => f is not null).Select(f => Path.GetFileName(f!)).ToArray();

    /// <summary>Install through DDI, restart, report pending, confirm, report confirmed.</summary>
    private static void InstallAndConfirm(UpdateRig rig, FakeDdiServer ddi)
    {
        Assert.Throws<DeviceRestartedException>(() => DdiRig.Client(rig, ddi).Poll());
        var client = DdiRig.Client(rig, ddi);
        Assert.Equal(DdiOutcome.RebootedPending, client.Poll());
        Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);
        Assert.Equal(DdiOutcome.Confirmed, client.Poll());
        Assert.Equal(DdiOutcome.Idle, client.Poll());
        Assert.Equal(["download/none", "downloaded/none", "proceeding/none [installing]", "proceeding/none [rebooted-pending]", "closed/success [confirmed]"], DdiRig.Seen(ddi));
    }

    [Fact]
    public async Task AnAppOnlyReleaseIsInstalledAndConfirmedAndItsVersionReported()
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Esp32C3));
        var ddi = DdiRig.Server();
        var firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false);
        var package = Publish(rig, app: AppReleases.App("1.1.0", codeBytes: 9000), version: "1.1.0", forFirmware: firmware);
        DdiRig.Assign(rig, ddi, "21", Files(package));

        InstallAndConfirm(rig, ddi);

        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
        Assert.Contains(rig.Server.Requests, r => r.Path == "/ddi/21/" + Path.GetFileName(package.AppFile));
        var data = ddi.ConfigData[^1];
        Assert.Equal(("1.0.0", "1.1.0", "ota_1"), (data["firmware"], data["app"], data["slot"]));
    }

    [Fact]
    public async Task AFirmwareOnlyReleaseOfTheRunningFirmwareIsNotTakenForTheRunningAppOnlyRelease()
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Esp32));
        var ddi = DdiRig.Server();
        var firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false);
        DdiRig.Assign(rig, ddi, "31", Files(Publish(rig, app: AppReleases.App("1.1.0"), version: "1.1.0", forFirmware: firmware)));
        InstallAndConfirm(rig, ddi);

        // Release 1.0.0 is the very firmware that runs (same bytes), but 1.1.0 is the release on the board.
        rig.Publish(rig.SlotBytes("ota_1", firmware.Length));
        DdiRig.Assign(rig, ddi, "32", DdiRig.ReleaseFiles(rig, "1.0.0"));
        Assert.Equal(DdiOutcome.Refused, DdiRig.Client(rig, ddi).Poll());
        Assert.Equal("closed/failure [not-newer]", DdiRig.Seen(ddi)[^1]);
    }

    [Fact]
    public async Task AFirmwareAndAppReleaseIsInstalledAndConfirmed()
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Esp32));
        var ddi = DdiRig.Server();
        var package = Publish(rig, firmware: AppReleases.Firmware(rig.Chip, "2.0.0", gpio: true), app: AppReleases.App("2.0.0", gpio: true));
        DdiRig.Assign(rig, ddi, "22", Files(package));
        InstallAndConfirm(rig, ddi);
        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public async Task AnAppTheFirmwareCannotRunIsRefusedWithIncompatibleFirmware()
    {
        await using var rig = await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Esp32));
        var ddi = DdiRig.Server();
        var firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false);
        var package = Publish(rig, app: AppReleases.App("1.1.0", interop: AppReleases.Interop + 1), version: "1.1.0", forFirmware: firmware, force: true);
        DdiRig.Assign(rig, ddi, "23", Files(package));
        var mutations = rig.Device.Flash.MutationCount;

        Assert.Equal(DdiOutcome.Refused, DdiRig.Client(rig, ddi).Poll());

        var refused = Assert.Single(ddi.Feedback, f => f.Execution == "closed");
        Assert.Equal("failure", refused.Finished);
        Assert.StartsWith("[incompatible-firmware] ", refused.Detail);
        Assert.Contains("NfOta.Interop", refused.Detail);
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
    }

    [Theory]
    [InlineData("esp32", "rsa3072")]
    [InlineData("esp32c3", "ecies-p256")]
    public async Task APreEncryptedReleaseIsInstalledAndConfirmed(string chip, string scheme)
    {
        using var key = EncryptedBoards.ForScheme(scheme);
        await using var rig = await UpdateRig.StartAsync(EncryptedBoards.Spec(EspChip.Parse(chip), key));
        var ddi = DdiRig.Server();
        using var publicOnly = DeviceKey.FromPem(key.PublicKeyPem());
        var image = rig.Publish(Boards.Image(rig.Chip, "2.0.0", codeBytes: 30_000), blockSize: 4096, encryptFor: publicOnly);
        DdiRig.Assign(rig, ddi, "24", DdiRig.ReleaseFiles(rig, "2.0.0"));
        Assert.Contains(UpdateRig.EncryptedFile("2.0.0"), DdiRig.ReleaseFiles(rig, "2.0.0"));

        InstallAndConfirm(rig, ddi);

        Assert.Equal(image, rig.SlotBytes("ota_1", image.Length));
        Assert.Contains(rig.Server.Requests, r => r.Path == "/ddi/24/" + UpdateRig.EncryptedFile("2.0.0"));
    }
}
