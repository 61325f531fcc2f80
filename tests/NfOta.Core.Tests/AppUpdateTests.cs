using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Interop;
using NfOta.NativeHost.Tests;
using NfOta.Packaging;
using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>
/// Updating the C# app with its firmware (issue 16), end to end over the real server: boards with a
/// deploy partition paired with each OTA slot, the device's engine and C component, and the
/// emulated nanoCLR binding the app after each boot.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class AppUpdateTests
{
    private static async Task<UpdateRig> Rig(string chip, string csv = DeviceSpec.PairedCsv) =>
        await UpdateRig.StartAsync(AppReleases.Spec(EspChip.Parse(chip), csv));

    private static ReleasePackage Publish(UpdateRig rig, byte[]? firmware = null, AppPart? app = null, string? version = null, byte[]? forFirmware = null, bool force = false) =>
        ReleasePackage.CreateRelease(new ReleaseRequest
        {
            Firmware = firmware, App = app, Version = version, ForFirmware = forFirmware, Chip = forFirmware is null && firmware is null ? rig.Chip.Name : null,
            UrlBase = rig.Server.BaseUri.ToString(), OutDirectory = rig.Directory, SkipNativeCheck = force,
        }, rig.Key);

    /// <summary>Update from latest.manifest and restart; the board is then on its first boot of the new slot.</summary>
    private static void Install(UpdateRig rig) =>
        Assert.Throws<DeviceRestartedException>(() => rig.Updater().Update(rig.LatestUrl));

    private static void Confirm() => Assert.Equal(GuardOutcome.Confirmed, new RollbackGuard().Run().Outcome);

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public async Task AnAppOnlyUpdateDownloadsTheAppAndCopiesTheRunningFirmware(string chip)
    {
        await using var rig = await Rig(chip);
        var firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false);
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
        var app = AppReleases.App("1.1.0", codeBytes: 9000);
        var package = Publish(rig, app: app, version: "1.1.0", forFirmware: firmware);

        Install(rig);

        Assert.Equal("1.0.0 + 1.1.0", AppReleases.Pair(rig.Device));
        Assert.Equal("ota_1", rig.Device.RunningPartition!.Label);
        Assert.Equal("deploy_1", rig.Device.App!.AppPartition);
        // The firmware came from the board, not the network: the only image fetched is the app.
        var fetched = rig.Server.Requests.Where(r => !r.Path.EndsWith(".manifest")).ToList();
        Assert.Equal([package.AppFile], fetched.Select(r => r.Path.TrimStart('/')));
        Assert.Equal(app.Image.Length, fetched.Sum(r => r.BodyBytes));
        // (Signing is randomised (RSA-PSS), so the running image is compared, not a rebuilt one.)
        Assert.Equal(rig.SlotBytes("ota_0", firmware.Length), rig.SlotBytes("ota_1", firmware.Length));
        Assert.Equal("1.1.0", NfOta.Device.DeviceState.Read().RunningVersion.Text);
        Assert.Equal("1.0.0", NfOta.Device.DeviceState.Read().FirmwareVersion.Text);
        Confirm();
        Assert.Equal(NativeOtaStatus.StateValid, NativeOta.GetSlotState(""));
        Assert.Null(rig.Updater().CheckForUpdate(rig.LatestUrl)); // 1.1.0 is what runs now
    }

    [Fact]
    public async Task AFirmwareAndAppReleaseInstallsBothTogether()
    {
        await using var rig = await Rig("esp32");
        Publish(rig, firmware: AppReleases.Firmware(rig.Chip, "2.0.0", gpio: true), app: AppReleases.App("2.0.0", gpio: true));
        Install(rig);
        Assert.Equal("2.0.0 + 2.0.0", AppReleases.Pair(rig.Device));
        Assert.Equal(4, rig.Device.App!.Assemblies.Count);
    }

    [Fact]
    public async Task AFirmwareOnlyReleaseCarriesTheRunningAppOver()
    {
        await using var rig = await Rig("esp32");
        rig.Publish(AppReleases.Firmware(rig.Chip, "2.0.0", gpio: true)); // a format 1 manifest: firmware only
        Install(rig);
        Assert.Equal("2.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
        Assert.Equal("2.0.0", NfOta.Device.DeviceState.Read().RunningVersion.Text);
        // The carried app is byte for byte the running one.
        var size = AppReleases.App("1.0.0").Image.Length;
        Assert.Equal(rig.SlotBytes("deploy_0", size), rig.SlotBytes("deploy_1", size));
    }

    [Fact]
    public async Task AnAppTheFirmwareCannotRunIsRefusedBeforeAnythingIsWritten()
    {
        await using var rig = await Rig("esp32");
        var firmware = AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false);
        var app = AppReleases.App("1.1.0", interop: AppReleases.Interop + 1);
        var refused = Assert.Throws<PackagingException>(() => Publish(rig, app: app, version: "1.1.0", forFirmware: firmware));
        Assert.Equal("incompatible-firmware", refused.Code);
        Assert.Contains("NfOta.Interop", refused.Message);
        Assert.Empty(Directory.GetFiles(rig.Directory));

        Publish(rig, app: app, version: "1.1.0", forFirmware: firmware, force: true);
        var mutations = rig.Device.Flash.MutationCount;
        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.IncompatibleFirmware, e.Error);
        Assert.Contains($"firmware's is 0x{AppReleases.Interop:X8}", e.Message);
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
        Assert.DoesNotContain(rig.Server.Requests, r => !r.Path.EndsWith(".manifest"));
    }

    [Fact]
    public async Task AFirmwareWhoseTableLacksWhatItsAppNeedsIsRefusedBeforeAnythingIsWritten()
    {
        await using var rig = await Rig("esp32");
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: false);
        Assert.Equal("incompatible-firmware", Assert.Throws<PackagingException>(() => Publish(rig, firmware: firmware, app: AppReleases.App("2.0.0", gpio: true))).Code);
        Publish(rig, firmware: firmware, app: AppReleases.App("2.0.0", gpio: true), force: true);
        var mutations = rig.Device.Flash.MutationCount;
        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.IncompatibleFirmware, e.Error);
        Assert.Contains("no native System.Device.Gpio", e.Message);
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
    }

    [Fact]
    public async Task AnAppReleaseNeedsPairedDeployPartitions()
    {
        await using var rig = await UpdateRig.StartAsync(Boards.Spec(EspChip.Esp32) with { Images = new Dictionary<string, byte[]> { ["ota_0"] = AppReleases.Firmware(EspChip.Esp32, "1.0.0", gpio: false) } });
        Publish(rig, app: AppReleases.App("1.1.0"), version: "1.1.0");
        var mutations = rig.Device.Flash.MutationCount;
        Assert.Equal(OtaError.NoAppPartition, Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl)).Error);
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
    }

    [Fact]
    public async Task AnAppLargerThanItsDeployPartitionIsRefusedBeforeAnythingIsWritten()
    {
        await using var rig = await Rig("esp32", AppReleases.SmallPairedCsv);
        Publish(rig, app: AppReleases.App("1.1.0", codeBytes: 13 * 1024), version: "1.1.0"); // > 12 KiB: the 16 KiB partition less its record sector
        var mutations = rig.Device.Flash.MutationCount;
        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.ImageTooLarge, e.Error);
        Assert.Contains("deploy_1 holds 12288", e.Message);
        Assert.Equal(mutations, rig.Device.Flash.MutationCount);
    }

    [Fact]
    public async Task AnAppChangedOnTheServerIsAHashMismatchAndNothingBoots()
    {
        await using var rig = await Rig("esp32");
        var package = Publish(rig, app: AppReleases.App("1.1.0"), version: "1.1.0", forFirmware: AppReleases.Firmware(rig.Chip, "1.0.0", gpio: false));
        var path = Path.Combine(rig.Directory, package.AppFile!);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var otadata = rig.Snapshot();
        var e = Assert.Throws<OtaException>(() => rig.Updater().Update(rig.LatestUrl));
        Assert.Equal(OtaError.HashMismatch, e.Error);
        Assert.Contains("deploy_1", e.Message);
        Assert.Equal(otadata, rig.Snapshot());
        Assert.Equal(0, rig.OpenNativeHandles);
        rig.Device.Restart();
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
    }

    [Fact]
    public async Task AnAppThatCannotStartIsRolledBackWithItsFirmwareByTheBootGuard()
    {
        await using var rig = await Rig("esp32");
        // A signed release whose App.pe was damaged before packing: its CRC fails, nanoCLR skips it.
        var good = AppReleases.App("1.1.0");
        var image = (byte[])good.Image.Clone();
        image[^20] ^= 0x01;
        Publish(rig, app: new AppPart(image, good.Assemblies), version: "1.1.0");
        Install(rig);
        Assert.Equal("ota_1", rig.Device.RunningPartition!.Label);
        Assert.False(rig.Device.App!.Started);
        Assert.Contains(rig.Device.App.Problems, p => p.Code == "pe-assembly-crc");

        // No managed code runs, so nothing confirms: the native boot guard rolls firmware and app back.
        Assert.NotNull(rig.Session.AdvanceTime(TimeSpan.FromSeconds(300)));
        Assert.Equal("ota_0", rig.Device.RunningPartition!.Label);
        Assert.Equal("1.0.0 + 1.0.0", AppReleases.Pair(rig.Device));
        Assert.Equal(EspErr.ESP_OK, rig.Device.Ota!.GetStatePartition(rig.Device.Partitions!.FindByLabel("ota_1"), out var state));
        Assert.Equal(OtaImageState.Invalid, state);
    }

    [Fact]
    public async Task NothingOfALongerOlderAppSurvivesInTheTargetPartition()
    {
        // nanoCLR walks on 124 bytes at a time past the last assembly: an older app's assembly left
        // behind at a reachable offset would load. Size the old app's System.Device.Gpio so that its
        // App header lies beyond the new app's first sector, exactly where that walk probes.
        var newApp = AppReleases.App("2.2.0");
        AppPart oldApp = null!;
        int oldAppAt = 0;
        for (var gpioBytes = 9000; oldApp is null; gpioBytes += 4)
        {
            var candidate = AppReleases.App("2.0.0", gpio: true, gpioBytes: gpioBytes);
            var at = NfOta.NanoFramework.DeploymentImage.Walk(candidate.Image).Last().Offset;
            if ((at - newApp.Image.Length) % NfOta.NanoFramework.PeAssembly.HeaderSize == 0)
            {
                (oldApp, oldAppAt) = (candidate, at);
            }
        }
        Assert.InRange(oldAppAt, 4096, 12 * 1024);

        await using var rig = await Rig("esp32");
        var firmware = AppReleases.Firmware(rig.Chip, "2.0.0", gpio: true);
        Publish(rig, firmware: firmware, app: oldApp); // into ota_1 / deploy_1
        Install(rig);
        Confirm();
        Publish(rig, app: AppReleases.App("2.1.0", gpio: true), version: "2.1.0", forFirmware: firmware); // into deploy_0
        Install(rig);
        Confirm();
        Publish(rig, app: newApp, version: "2.2.0", forFirmware: firmware); // into deploy_1, over the old app
        Install(rig);
        Assert.Equal("2.0.0 + 2.2.0", AppReleases.Pair(rig.Device));
        Assert.Equal(["mscorlib", "NfOta.Interop", "App"], rig.Device.App!.Assemblies.Select(a => a.Name ?? "mscorlib"));
    }
}
