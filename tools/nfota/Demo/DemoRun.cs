using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Http;
using NfOta.Interop;
using NfOta.Packaging;
using NfOta.Rollback;
using NfOta.Server;

namespace NfOta.Cli.Demo;

/// <summary>
/// The whole path with no board: keys, three firmware versions, an emulated chip with flash
/// encryption (release mode) and secure boot v2, an HTTPS update server on loopback, and the device
/// code itself (NfOta.Core over the C component over emulated ESP-IDF): v1 → v2 confirmed, then a
/// v3 whose health check fails and is rolled back.
/// </summary>
public sealed class DemoRun(EspChip chip, string directory, Action<string> say, Func<string, ProgressHandler> progress)
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

        say("firmware: 1.0.0, 2.0.0 and 3.0.0, signed for secure boot v2");
        var v1 = SyntheticFirmware.Build(chip, "1.0.0", sbKey);
        var v2 = SyntheticFirmware.Build(chip, "2.0.0", sbKey);
        var v3 = SyntheticFirmware.Build(chip, "3.0.0", sbKey);

        say($"board: emulated {chip.DisplayName}, 4 MiB flash, flash encryption (release) and secure boot v2 on, 1.0.0 in ota_0");
        var device = Provisioner.Create(new DeviceSpec
        {
            Chip = chip,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = v1 },
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

        using (NfOta.NativeHost.NativeHost.Attach(device))
        {
            Row(device, "provisioned", TimeSpan.Zero, 0, "first boot");

            ReleasePackage.Create(v2, manifestKey, server.BaseUri.ToString(), releases);
            say("update 1.0.0 -> 2.0.0 over HTTPS");
            var (bytes, time) = Update(device, source, manifestKey, latest, "2.0.0");
            Row(device, "update to 2.0.0, reboot", time, bytes, "new firmware on trial");
            var confirmed = Guard(device, failing: false);
            Row(device, "health checks", TimeSpan.Zero, 0, $"{confirmed.Outcome}: all checks passed");

            ReleasePackage.Create(v3, manifestKey, server.BaseUri.ToString(), releases);
            say("update 2.0.0 -> 3.0.0 (its health check will fail)");
            (bytes, time) = Update(device, source, manifestKey, latest, "3.0.0");
            Row(device, "update to 3.0.0, reboot", time, bytes, "new firmware on trial");
            var start = device.Flash.Elapsed;
            try
            {
                Guard(device, failing: true);
                throw new InvalidOperationException("the failing health check did not roll back");
            }
            catch (DeviceRestartedException restart)
            {
                Row(device, "health checks", device.Flash.Elapsed - start, 0, $"mqtt-broker failed: rolled back to {restart.Boot.Partition?.Name}");
            }

            var running = device.RunningPartition?.Label;
            var version = RunningVersion(device);
            var state = NativeOta.GetSlotState("");
            var rejected = NativeOta.GetSlotState(running == "ota_1" ? "ota_0" : "ota_1");
            var ok = version == "2.0.0" && state == NativeOtaStatus.StateValid && rejected == NativeOtaStatus.StateInvalid && device.Flash.Violations.Count == 0;
            var summary = ok
                ? $"{chip.DisplayName} runs 2.0.0 from {running} (VALID); 3.0.0 was rejected and its slot is INVALID; no flash violations"
                : $"unexpected end state: {version} from {running} ({SlotStates.Name(state)}), other slot {SlotStates.Name(rejected)}, {device.Flash.Violations.Count} flash violations";

            var dumpPath = Path.Combine(directory, "flash.bin");
            AtomicFile.Write(dumpPath, device.Flash.Dump());
            return new DemoReport(chip.Name, _rows, ok, summary, dumpPath, flashKeyPath, Path.Combine(keys, KeyFiles.SecureBootPublic), server.Requests.Count);
        }
    }

    private (long Bytes, TimeSpan Time) Update(VirtualEsp32 device, HttpImageSource source, ManifestKey key, string latest, string version)
    {
        var updater = new OtaUpdater(source, key.PublicKeyBytes(), new UpdateOptions()) { Progress = progress($"downloading {version}") };
        var start = device.Flash.Elapsed;
        long bytes = 0;
        try
        {
            var manifest = updater.CheckForUpdate(latest) ?? throw new InvalidOperationException($"the server offered nothing newer than the running firmware, expected {version}");
            bytes = manifest.Size;
            updater.Apply(manifest);
            throw new InvalidOperationException("the update returned without restarting the board");
        }
        catch (DeviceRestartedException)
        {
            return (bytes, device.Flash.Elapsed - start);
        }
    }

    private static GuardResult Guard(VirtualEsp32 device, bool failing)
    {
        var guard = new RollbackGuard { BudgetMilliseconds = 10_000 }.Add(new DemoCheck("wifi", () => true));
        guard.Add(new DemoCheck("mqtt-broker", () => !failing));
        return guard.Run();
    }

    private void Row(VirtualEsp32 device, string step, TimeSpan flash, long bytes, string outcome)
    {
        var slot = device.RunningPartition?.Label ?? "-";
        var version = RunningVersion(device);
        _rows.Add(new DemoRow(step, version, slot, SlotStates.Name(NativeOta.GetSlotState("")), bytes, flash, outcome));
    }

    private static string RunningVersion(VirtualEsp32 device) =>
        device.Ota!.GetPartitionDescription(device.RunningPartition, out var description) == EspErr.ESP_OK ? description!.Version : "?";

    private sealed class DemoCheck(string name, Func<bool> check) : IHealthCheck
    {
        public string Name => name;

        public bool Check() => check();
    }
}
