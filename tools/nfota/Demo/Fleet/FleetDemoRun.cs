using System.Security.Cryptography;
using System.Text.Json;
using NfOta.Cli.Commands;
using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using NfOta.Fleet.Hosting;
using NfOta.Http;
using NfOta.Packaging;
using NfOta.Server;

namespace NfOta.Cli.Demo.Fleet;

/// <summary>
/// The fleet demo: many emulated secured boards, each running the device's own code (the DDI client,
/// the engine, the C component, the rollback guard), poll a real fleet server over loopback. A good
/// release rolls out wave by wave to every board; a bad one (its health check fails on the boards
/// that get it) pauses itself at the failure threshold, and the boards that got it roll back.
/// </summary>
public sealed class FleetDemoRun(EspChip chip, string directory, int boards, string? db, Action<string> say)
{
    private const string Tenant = "DEFAULT";
    private const string Cohort = "fleet";
    private const int MaxRounds = 40;

    public async Task<FleetDemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var releases = Path.Combine(directory, "releases");
        if (Directory.Exists(releases)) Directory.Delete(releases, recursive: true);
        OutputFolder.Create(releases);
        using var manifestKey = ManifestKey.Create();
        using var sbKey = SecureBootKey.FromPem(KeyFiles.NewSecureBootPem("rsa3072"));
        var v1 = SyntheticFirmware.Build(chip, "1.0.0", sbKey, codeBytes: 16 * 1024, natives: DemoApps.Firmware(gpio: false));
        foreach (var version in new[] { "2.0.0", FleetBoard.FailingVersion })
        {
            ReleasePackage.CreateRelease(new ReleaseRequest
            {
                Firmware = SyntheticFirmware.Build(chip, version, sbKey, codeBytes: 16 * 1024, natives: DemoApps.Firmware(gpio: false)),
                App = DemoApps.Build(version, gpio: false, codeBytes: 4 * 1024), UrlBase = "https://releases.invalid/", OutDirectory = releases,
            }, manifestKey);
        }
        say($"releases: 2.0.0 (good) and {FleetBoard.FailingVersion} (its app's health check fails), firmware and app each, signed");

        using var certificates = DemoCertificates.Create();
        await using var files = await UpdateServer.StartAsync(new UpdateServerOptions { Root = releases, Certificate = certificates.Server }, cancellationToken);
        var adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var database = db ?? Path.Combine(directory, "fleet.db");
        if (db is null && File.Exists(database)) File.Delete(database);
        await using var fleet = await FleetServer.StartAsync(new FleetServerOptions { Database = database, Port = 0, AdminToken = adminToken }, cancellationToken);
        using var admin = new FleetAdmin(new HttpClient { BaseAddress = fleet.BaseUri }, adminToken, Tenant);
        say($"servers: fleet (hawkBit DDI) on {fleet.BaseUri}, release files on {files.BaseUri}; database {(db is null ? database : "from --db")}");

        var fleetBoards = await ProvisionAsync(admin, v1, sbKey, manifestKey, fleet.BaseUri, certificates);
        var rollouts = new List<FleetRollout>();
        var rounds = 0;
        foreach (var (version, limits) in new[]
        {
            ("2.0.0", (object)new { }),
            (FleetBoard.FailingVersion, new { maxFailures = 3, maxFailurePercent = 20.0, minFinished = 1 }),
        })
        {
            var (rollout, used) = await RollOutAsync(admin, fleetBoards, releases, files.BaseUri, version, limits, cancellationToken);
            rollouts.Add(rollout);
            rounds += used;
        }
        return Report(fleetBoards, rollouts, rounds, db is null ? "SQLite" : "the --db database");
    }

    private async Task<List<FleetBoard>> ProvisionAsync(FleetAdmin admin, byte[] v1, SecureBootKey sbKey, ManifestKey manifestKey, Uri fleetUri, DemoCertificates certificates)
    {
        var template = Provisioner.Create(new DeviceSpec
        {
            Chip = chip, FlashSize = ShippedTable.FlashSize, PartitionCsv = ShippedTable.Csv(chip),
            Config = new DeviceConfig { FlashEncryption = true, SecureBoot = true, PartitionTableOffset = ShippedTable.Offset },
            Images = new Dictionary<string, byte[]> { ["ota_0"] = v1, ["deploy_0"] = DemoApps.Build("1.0.0", gpio: false, codeBytes: 4 * 1024).Image },
            FlashEncryptionKey = RandomNumberGenerator.GetBytes(chip.FlashKeyLengths.Max()),
            SecureBootKeyDigests = [SecureBootV2.PublicKeyDigest(sbKey)], BootloaderSigningKey = sbKey,
        });
        var ids = Enumerable.Range(0, boards).Select(i => $"board-{i:000}").ToList();
        var tokens = ids.ToDictionary(id => id, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await admin.SendAsync(HttpMethod.Put, "", new { });
        await admin.SendAsync(HttpMethod.Post, "/devices", new { devices = ids.Select(id => new { controllerId = id, targetToken = tokens[id] }) });
        await admin.SendAsync(HttpMethod.Post, "/cohorts", new { name = Cohort, devices = ids });
        var images = new HttpImageSource(certificates.Root);
        var list = new List<FleetBoard>();
        foreach (var id in ids)
        {
            var device = template.PoweredOffCopy();
            if (!device.PowerOn().Booted) throw new InvalidOperationException($"{id} did not boot");
            var settings = new DdiSettings { BaseUrl = fleetUri.ToString(), Tenant = Tenant, ControllerId = id, Token = tokens[id] };
            var client = new DdiClient(new HttpJsonClient(), settings, images, manifestKey.PublicKeyBytes(), new UpdateOptions()) { Sleep = _ => { } };
            list.Add(new FleetBoard(id, device, client));
        }
        say($"boards: {boards} emulated {chip.DisplayName}s, flash encryption and secure boot v2, nf-ota's {ShippedTable.FileName}, running 1.0.0, registered in cohort '{Cohort}'");
        return list;
    }

    /// <summary>Start the rollout, then let every board take its turn, round after round, until the rollout completes, pauses or stops.</summary>
    private async Task<(FleetRollout Rollout, int Rounds)> RollOutAsync(FleetAdmin admin, List<FleetBoard> fleetBoards, string releases, Uri filesUri,
        string version, object limits, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?>
        {
            ["cohort"] = Cohort, ["version"] = version, ["baseUrl"] = filesUri.ToString(), ["waves"] = "1,10,50,100",
            ["files"] = ReleaseFiles.Describe(releases, version),
        };
        foreach (var p in limits.GetType().GetProperties()) body[p.Name] = p.GetValue(limits);
        var id = (await admin.SendAsync(HttpMethod.Post, "/rollouts", body)).GetProperty("id").GetInt64();
        say($"rollout {id}: {version} to {fleetBoards.Count} boards in waves of 1, 10, 50, 100 %");
        JsonElement state = default;
        var round = 0;
        while (round < MaxRounds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            round++;
            var installed = fleetBoards.Count(b => b.Step() == DdiOutcome.Installed);
            state = await admin.SendAsync(HttpMethod.Get, $"/rollouts/{id}");
            var counts = state.GetProperty("counts");
            say($"  round {round}: {installed} installed; wave {state.GetProperty("wave").GetInt32()}, {counts.GetProperty("confirmed").GetInt32()} confirmed, "
                + $"{counts.GetProperty("failed").GetInt32()} failed; {state.GetProperty("state").GetString()}");
            if (state.GetProperty("state").GetString() is "completed" or "paused" or "aborted" && counts.GetProperty("open").GetInt32() == 0) break;
        }
        // Boards that restarted into the release's pending state finish their start-up.
        foreach (var board in fleetBoards) board.Step();
        state = await admin.SendAsync(HttpMethod.Get, $"/rollouts/{id}");
        var c = state.GetProperty("counts");
        var rollout = new FleetRollout(version, c.GetProperty("offered").GetInt32(), c.GetProperty("confirmed").GetInt32(), c.GetProperty("failed").GetInt32(),
            fleetBoards.Count - c.GetProperty("offered").GetInt32(), state.GetProperty("state").GetString() == "paused",
            state.GetProperty("state").GetString()!, state.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
        return (rollout, round);
    }

    private FleetDemoReport Report(List<FleetBoard> fleetBoards, List<FleetRollout> rollouts, int rounds, string database)
    {
        var running = fleetBoards.GroupBy(b => b.Device.App?.Assembly("DemoApp")?.Version.ToString(3) ?? "?").ToDictionary(g => g.Key, g => g.Count());
        var good = rollouts[0];
        var bad = rollouts[1];
        var ok = good.State == "completed" && good.Confirmed == boards && bad.Paused && bad.Failed > 0 && bad.Confirmed == 0
            && running.TryGetValue("2.0.0", out var onGood) && onGood == boards;
        var summary = ok
            ? $"2.0.0 reached all {boards} boards wave by wave; {FleetBoard.FailingVersion} paused itself after {bad.Failed} of {bad.Targeted} boards failed their health check and rolled back; "
              + $"{bad.Untouched} boards never got it; every board runs 2.0.0"
            : $"unexpected end: 2.0.0 {good.State} ({good.Confirmed} confirmed), {FleetBoard.FailingVersion} {bad.State} ({bad.Failed} failed); running: "
              + string.Join(", ", running.Select(p => $"{p.Value} on {p.Key}"));
        return new FleetDemoReport(chip.Name, boards, rollouts, rounds, ok, summary, database);
    }
}
