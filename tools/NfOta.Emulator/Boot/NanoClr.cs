using NfOta.Emulator.Device;
using NfOta.NanoFramework;

namespace NfOta.Emulator.Boot;

/// <summary>
/// The step after the bootloader on a nanoFramework board: nanoCLR starts, maps the deploy
/// partition (through decryption, as its memory-mapped reads are), walks the .pe files as its
/// start-up does, loads each against the firmware's native table and resolves references.
/// Firmware images carry their table in nf-ota's marker form (<see cref="NativeAssemblyTable.Embed"/>);
/// an image without one is not a nanoFramework firmware, and no app is started.
/// </summary>
public static class NanoClr
{
    public const byte DeploySubtype = 0x84;

    /// <summary>nf-ota's pairing (nf_ota_deploy_partition on the device): "deploy_N" for a slot of subtype ota_N; null for any other slot.</summary>
    public static string? PairedLabel(byte slotSubtype) => slotSubtype is >= 0x10 and < 0x20 ? $"deploy_{slotSubtype - 0x10}" : null;

    /// <summary>Which deploy partition a slot's firmware maps: its paired one, else the first data/0x84 partition.</summary>
    public static EspPartition? AppPartitionFor(PartitionApi partitions, EspPartition slot) =>
        (PairedLabel(slot.Subtype) is { } label ? partitions.FindFirst(0x01, DeploySubtype, label) : null)
        ?? partitions.FindFirst(0x01, DeploySubtype);

    internal static AppStartReport? Start(PartitionApi partitions, EspPartition running, NativeAssemblyTable? natives)
    {
        if (natives is null) return null;
        var app = AppPartitionFor(partitions, running);
        if (app is null)
        {
            return new AppStartReport(null, [], [], [new AppBinding.Problem("no-deploy-partition", "the partition table has no deploy partition (data, 0x84)")]);
        }
        var region = new byte[app.Size];
        var err = partitions.Read(app, 0, region);
        if (err != EspErr.ESP_OK)
        {
            return new AppStartReport(app.Label, [], [], [new AppBinding.Problem("read-failed", $"reading {app.Label} failed: {err}")]);
        }
        return Load(app.Label, region, natives);
    }

    /// <summary>
    /// nanoCLR's start over a deploy region's (decrypted) bytes: the walk, then each assembly bound to
    /// the firmware's native table. Without a table (a real nanoCLR image) only the walk is reported.
    /// </summary>
    public static AppStartReport Load(string label, ReadOnlySpan<byte> region, NativeAssemblyTable? natives)
    {
        var walk = DeploymentImage.Walk(region);
        var assemblies = walk.Where(e => e.Assembly is not null).Select(e => e.Assembly!).ToList();
        var skipped = walk.Where(e => e.Assembly is null).ToList();
        if (natives is null) return new AppStartReport(label, assemblies, skipped, []);
        var problems = AppBinding.Check(assemblies, natives).ToList();
        // An assembly nanoCLR refused (damaged, cut short) is an app that does not start as built.
        problems.AddRange(skipped.Where(e => e.Code is not null).Select(e => new AppBinding.Problem(e.Code!, $"{label} at byte {e.Offset}: {e.Skipped}")));
        if (assemblies.Count == 0)
        {
            problems.Add(new AppBinding.Problem("no-app", $"{label} holds no assembly nanoCLR would load"));
        }
        return new AppStartReport(label, assemblies, skipped, problems);
    }
}

/// <summary>What the emulated nanoCLR found: the deploy partition it mapped, the assemblies it loaded, what it skipped, and why the app would not start.</summary>
public sealed record AppStartReport(string? AppPartition, IReadOnlyList<PeAssembly> Assemblies, IReadOnlyList<DeploymentImage.Entry> Skipped, IReadOnlyList<AppBinding.Problem> Problems)
{
    public bool Started => Problems.Count == 0;

    /// <summary>The assembly with this name, or null.</summary>
    public PeAssembly? Assembly(string name) => Assemblies.FirstOrDefault(a => AppBinding.DisplayName(a.Name) == name);
}
