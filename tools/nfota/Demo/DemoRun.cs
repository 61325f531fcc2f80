using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.SecureBoot;
using NfOta.Http;
using NfOta.Interop;
using NfOta.Packaging;
using NfOta.Rollback;
using NfOta.Server;

namespace NfOta.Cli.Demo;

/// <summary>
/// The whole path with no board: keys, three firmware versions and five apps, an emulated chip with
/// flash encryption (release mode), secure boot v2 and a deploy partition paired with each OTA slot,
/// an HTTPS update server on loopback, and the device code itself (NfOta.Core over the C component
/// over emulated ESP-IDF, then an emulated nanoCLR binding the app): an app-only update, a firmware
/// + app update, an app its firmware cannot run (refused by pack and by the device), and a release
/// whose health check fails, rolled back with its firmware.
/// </summary>
/// <para>With <c>encrypted</c>, the board also holds an RSA-3072 device key in its nfota_key partition and
/// every firmware is pre-encrypted for it (esp_encrypted_img); a release made for another board's key is refused.</para>
public sealed class DemoRun(EspChip chip, string directory, Action<string> say, Func<string[], ProgressHandler> progress, bool encrypted = false)
{
    private readonly List<DemoRow> _rows = [];

    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var keys = Path.Combine(directory, "keys");
        var releases = Path.Combine(directory, "releases");
        // DemoFolder.Claim made sure these are the demo's own from an earlier run.
        OutputFolder.Create(keys);
        if (Directory.Exists(releases)) Directory.Delete(releases, recursive: true);
        OutputFolder.Create(releases);

        say($"keys: ECDSA P-256 manifest key and RSA-3072 secure boot v2 key in {keys}");
        using var manifestKey = ManifestKey.Create();
        KeyFiles.WritePair(keys, KeyFiles.ManifestPrivate, manifestKey.PrivateKeyPem(), KeyFiles.ManifestPublic, manifestKey.PublicKeyPem(), force: true);
        var sbPem = KeyFiles.NewSecureBootPem("rsa3072");
        using var sbKey = SecureBootKey.FromPem(sbPem);
        KeyFiles.WritePair(keys, KeyFiles.SecureBootPrivate, sbPem, KeyFiles.SecureBootPublic, KeyFiles.PublicPemOf(sbKey, sbPem), force: true);
        var flashKey = RandomNumberGenerator.GetBytes(chip.FlashKeyLengths.Max());
        var flashKeyPath = Path.Combine(keys, "flash-encryption-key.bin");
        AtomicFile.Write(flashKeyPath, flashKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        say("firmware: 1.0.0 (mscorlib, NfOta.Interop), 2.0.0 and 3.0.0 (adding System.Device.Gpio), signed for secure boot v2");
        var v1 = SyntheticFirmware.Build(chip, "1.0.0", sbKey, natives: DemoApps.Firmware(gpio: false));
        var v2 = SyntheticFirmware.Build(chip, "2.0.0", sbKey, natives: DemoApps.Firmware(gpio: true));
        var v3 = SyntheticFirmware.Build(chip, "3.0.0", sbKey, natives: DemoApps.Firmware(gpio: true));
        say("apps: the C# app (nanoFramework's mscorlib.pe, NfOta.Interop, DemoApp) 1.0.0, 1.1.0, 2.0.0, 2.1.0 and 3.0.0");
        var app1 = DemoApps.Build("1.0.0", gpio: false, codeBytes: 150 * 1024);

        using var deviceKey = encrypted ? DeviceKey.NewRsa3072() : null;
        using var encryptFor = deviceKey is null ? null : DeviceKey.FromPem(deviceKey.PublicKeyPem());
        var images = new Dictionary<string, byte[]> { ["ota_0"] = v1, ["deploy_0"] = app1.Image };
        if (deviceKey is not null)
        {
            KeyFiles.WritePair(keys, KeyFiles.DevicePrivate, deviceKey.PrivateKeyPem(), KeyFiles.DevicePublic, deviceKey.PublicKeyPem(), force: true);
            images[DeviceKeyPartition.Label] = DeviceKeyPartition.Build(deviceKey);
            say($"device key: RSA-3072 ({KeyFiles.DevicePublic} encrypts releases); its private half goes into the board's {DeviceKeyPartition.Label} partition");
        }
        say($"board: emulated {chip.DisplayName}, 8 MiB flash laid out by nf-ota's {ShippedTable.FileName} for {chip.Name} (table at 0x{ShippedTable.Offset:X}), "
            + $"flash encryption (release) and secure boot v2 on; 1.0.0 in ota_0, its app in deploy_0"
            + (deviceKey is null ? "" : $", the device key in {DeviceKeyPartition.Label} (encrypted at the first boot)"));
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = chip,
            FlashSize = ShippedTable.FlashSize,
            PartitionCsv = ShippedTable.Csv(chip),
            Config = new DeviceConfig { FlashEncryption = true, SecureBoot = true, PartitionTableOffset = ShippedTable.Offset },
            Images = images,
            FlashEncryptionKey = flashKey,
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(sbKey)],
            BootloaderSigningKey = sbKey,
        });
        var boot = device.PowerOn();
        if (!boot.Booted) throw new InvalidOperationException($"the provisioned board did not boot: {boot}");

        using var certificates = DemoCertificates.Create();
        await using var server = await UpdateServer.StartAsync(new UpdateServerOptions { Root = releases, Certificate = certificates.Server }, cancellationToken);
        say($"server: HTTPS on {server.BaseUri} (a throw-away CA the engine trusts, like a root built into the app)");
        using var source = new HttpImageSource(certificates.Root);
        var latest = server.UrlOf(ReleasePackage.LatestManifest).ToString();
        var urlBase = server.BaseUri.ToString();

        using (NfOta.NativeHost.NativeHost.Attach(device))
        {
            Row(device, "provisioned", TimeSpan.Zero, 0, "first boot: " + AppOutcome(device));

            var app11 = DemoApps.Build("1.1.0", gpio: false, codeBytes: 200 * 1024);
            ReleasePackage.CreateRelease(new ReleaseRequest { App = app11, Version = "1.1.0", ForFirmware = v1, Name = "nfota-demo", UrlBase = urlBase, OutDirectory = releases }, manifestKey);
            say($"update 1.0.0 -> 1.1.0, the app only ({app11.Image.Length:N0} bytes; the firmware is copied on the board)");
            var (bytes, time) = Update(device, source, manifestKey, latest, ["app 1.1.0"]);
            Row(device, "app-only 1.1.0, reboot", time, bytes, "downloaded the app only; " + AppOutcome(device));
            var confirmed = DemoHealth.Guard(device, failingVersion: null).Run();
            Row(device, "health checks", TimeSpan.Zero, 0, $"{confirmed.Outcome}: all checks passed");

            var app2 = DemoApps.Build("2.0.0", gpio: true, codeBytes: 180 * 1024);
            ReleasePackage.CreateRelease(new ReleaseRequest { Firmware = v2, App = app2, UrlBase = urlBase, OutDirectory = releases, EncryptFor = encryptFor }, manifestKey);
            say("update 1.1.0 -> 2.0.0, firmware and app in one release (the app now uses System.Device.Gpio)"
                + (encryptFor is null ? "" : "; the firmware pre-encrypted for this board's device key"));
            (bytes, time) = Update(device, source, manifestKey, latest, ["firmware 2.0.0", "app 2.0.0"]);
            Row(device, "firmware + app 2.0.0, reboot", time, bytes, "new firmware and app on trial; " + AppOutcome(device));
            confirmed = DemoHealth.Guard(device, failingVersion: null).Run();
            Row(device, "health checks", TimeSpan.Zero, 0, $"{confirmed.Outcome}: all checks passed");

            // An app built against a newer NfOta.Interop than any firmware on the board provides.
            var app21 = DemoApps.Build("2.1.0", gpio: true, codeBytes: 180 * 1024, interopChecksum: DemoApps.InteropChecksum ^ 0x00010000);
            var refusedByPack = Refused(() => ReleasePackage.CreateRelease(
                new ReleaseRequest { App = app21, Version = "2.1.0", ForFirmware = v2, Name = "nfota-demo", UrlBase = urlBase, OutDirectory = releases }, manifestKey));
            Row(device, "pack app-only 2.1.0", TimeSpan.Zero, 0, $"refused by nfota pack: {refusedByPack}");
            ReleasePackage.CreateRelease(new ReleaseRequest { App = app21, Version = "2.1.0", ForFirmware = v2, Name = "nfota-demo", UrlBase = urlBase, OutDirectory = releases, SkipNativeCheck = true }, manifestKey);
            say("2.1.0 forced onto the server: its app needs an NfOta.Interop checksum the running firmware lacks");
            var mutations = device.Flash.MutationCount;
            var refusedByDevice = DeviceRefusal(device, source, manifestKey, latest);
            var untouched = device.Flash.MutationCount == mutations;
            Row(device, "install 2.1.0 (forced)", TimeSpan.Zero, 0, $"refused by the device: {refusedByDevice}; {(untouched ? "nothing written" : "FLASH CHANGED")}");

            var app3 = DemoApps.Build("3.0.0", gpio: true, codeBytes: 180 * 1024);
            var wrongKey = "not tried";
            var wrongKeyUntouched = true;
            if (encryptFor is not null)
            {
                // The same release encrypted for another board: this board cannot unwrap its key.
                using var otherBoard = DeviceKey.NewRsa3072();
                ReleasePackage.CreateRelease(new ReleaseRequest { Firmware = v3, App = app3, UrlBase = urlBase, OutDirectory = releases, EncryptFor = otherBoard }, manifestKey);
                say("3.0.0 encrypted for another board's device key first");
                var before = device.Flash.MutationCount;
                wrongKey = DeviceRefusal(device, source, manifestKey, latest);
                wrongKeyUntouched = device.Flash.MutationCount == before;
                Row(device, "install 3.0.0 for another key", TimeSpan.Zero, 0, $"refused by the device: {wrongKey}; {(wrongKeyUntouched ? "nothing written" : "FLASH CHANGED")}");
            }
            ReleasePackage.CreateRelease(new ReleaseRequest { Firmware = v3, App = app3, UrlBase = urlBase, OutDirectory = releases, EncryptFor = encryptFor }, manifestKey);
            say("update 2.0.0 -> 3.0.0, firmware and app (the new app's health check will fail)");
            (bytes, time) = Update(device, source, manifestKey, latest, ["firmware 3.0.0", "app 3.0.0"]);
            Row(device, "firmware + app 3.0.0, reboot", time, bytes, "new firmware and app on trial; " + AppOutcome(device));
            var start = device.Flash.Elapsed;
            try
            {
                DemoHealth.Guard(device, failingVersion: "3.0.0").Run();
                throw new InvalidOperationException("the failing health check did not roll back");
            }
            catch (DeviceRestartedException restart)
            {
                Row(device, "health checks", device.Flash.Elapsed - start, 0, $"mqtt-broker failed: rolled back to {restart.Boot.Partition?.Name} with its app; " + AppOutcome(device));
            }

            var running = device.RunningPartition?.Label;
            var version = ReleaseVersion();
            var state = NativeOta.GetSlotState("");
            var rejected = NativeOta.GetSlotState(running == "ota_1" ? "ota_0" : "ota_1");
            var appVersion = device.App?.Assembly("DemoApp")?.Version.ToString(3);
            var ok = version == "2.0.0" && appVersion == "2.0.0" && device.App!.Started && state == NativeOtaStatus.StateValid && rejected == NativeOtaStatus.StateInvalid
                && untouched && refusedByDevice.Contains("incompatible-firmware") && refusedByPack.Contains("incompatible-firmware") && device.Flash.Violations.Count == 0
                && (encryptFor is null || (wrongKey == "wrong-device-key" && wrongKeyUntouched));
            var summary = ok
                ? $"{chip.DisplayName} runs 2.0.0 from {running} (VALID) with its app (DemoApp 2.0.0 started); 2.1.0 was refused before anything was written; "
                  + (encryptFor is null ? "" : "firmware came pre-encrypted, and 3.0.0 for another board's key was refused before anything was written; ")
                  + "3.0.0 was rejected and rolled back with its app; no flash violations"
                : $"unexpected end state: {version} from {running} ({SlotStates.Name(state)}), app {appVersion ?? "none"}, other slot {SlotStates.Name(rejected)}, 2.1.0: {refusedByDevice}, {device.Flash.Violations.Count} flash violations";

            var dumpPath = Path.Combine(directory, "flash.bin");
            AtomicFile.Write(dumpPath, device.Flash.Dump());
            return new DemoReport(chip.Name, _rows, ok, summary, dumpPath, flashKeyPath, Path.Combine(keys, KeyFiles.SecureBootPublic), (int)server.RequestCount, ShippedTable.Offset);
        }
    }

    /// <summary>Install the release latest.manifest offers; returns the bytes downloaded and the modelled flash time.</summary>
    private (long Bytes, TimeSpan Time) Update(VirtualEsp32 device, HttpImageSource source, ManifestKey key, string latest, string[] files)
    {
        var updater = new OtaUpdater(source, key.PublicKeyBytes(), new UpdateOptions()) { Progress = progress(files) };
        var restarted = false;
        updater.Reboot = () => restarted = true;
        var start = device.Flash.Elapsed;
        var manifest = updater.CheckForUpdate(latest) ?? throw new InvalidOperationException($"the server offered nothing newer than the running release, expected {files[^1]}");
        var result = updater.Apply(manifest);
        if (!restarted) throw new InvalidOperationException("the update returned without asking for a restart");
        var time = device.Flash.Elapsed - start;
        device.Restart();
        return (result.BytesReceived, time);
    }

    /// <summary>The device's refusal of the offered release, as "message [code]".</summary>
    private static string DeviceRefusal(VirtualEsp32 device, HttpImageSource source, ManifestKey key, string latest)
    {
        var updater = new OtaUpdater(source, key.PublicKeyBytes(), new UpdateOptions()) { Reboot = () => { } };
        try
        {
            var manifest = updater.CheckForUpdate(latest) ?? throw new InvalidOperationException("the server offered nothing newer");
            updater.Apply(manifest);
            device.Restart();
            return "installed (it should not have been)";
        }
        catch (OtaException e)
        {
            return $"{e.Code}";
        }
    }

    private static string Refused(Action pack)
    {
        try
        {
            pack();
            return "packed (it should not have been)";
        }
        catch (PackagingException e)
        {
            return e.Code;
        }
    }

    /// <summary>What the emulated nanoCLR did with the paired app after the last boot.</summary>
    private static string AppOutcome(VirtualEsp32 device)
    {
        var app = device.App;
        if (app is null) return "no app";
        var demo = app.Assembly("DemoApp");
        return app.Started
            ? $"{app.AppPartition}: DemoApp {demo?.Version.ToString(3)} started ({app.Assemblies.Count} assemblies bound)"
            : $"{app.AppPartition}: app did not start: {app.Problems[0].Code}";
    }

    private void Row(VirtualEsp32 device, string step, TimeSpan flash, long bytes, string outcome)
    {
        var slot = device.RunningPartition?.Label ?? "-";
        var version = ReleaseVersion();
        _rows.Add(new DemoRow(step, version, slot, SlotStates.Name(NativeOta.GetSlotState("")), bytes, flash, outcome));
    }

    /// <summary>The running release as the engine sees it (the app's record, else the firmware's version).</summary>
    private static string ReleaseVersion() => NfOta.Device.DeviceState.Read().RunningVersion?.Text ?? "?";
}
