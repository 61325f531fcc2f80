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
    /// <summary>Which deploy partition a slot's firmware maps: "deploy_N" for ota_N (nf-ota's paired layout), else the first 0x84 partition.</summary>
    public static EspPartition? AppPartitionFor(PartitionApi partitions, EspPartition slot)
    {
        if (slot.Subtype is >= 0x10 and < 0x20)
        {
            var paired = partitions.FindFirst(0x01, DeploySubtype, $"deploy_{slot.Subtype - 0x10}");
            if (paired is not null) return paired;
        }
        return partitions.FindFirst(0x01, DeploySubtype);
    }

    public const byte DeploySubtype = 0x84;

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
        var walk = DeploymentImage.Walk(region);
        var assemblies = walk.Where(e => e.Assembly is not null).Select(e => e.Assembly!).ToList();
        var problems = AppBinding.Check(assemblies, natives).ToList();
        // An assembly nanoCLR refused (damaged, cut short) is an app that does not start as built.
        problems.AddRange(walk.Where(e => e.Code is not null).Select(e => new AppBinding.Problem(e.Code!, $"{app.Label} at byte {e.Offset}: {e.Skipped}")));
        if (assemblies.Count == 0)
        {
            problems.Add(new AppBinding.Problem("no-app", $"{app.Label} holds no assembly nanoCLR would load"));
        }
        return new AppStartReport(app.Label, assemblies, walk.Where(e => e.Skipped is not null).Select(e => e.Skipped!).ToList(), problems);
    }
}

/// <summary>What the emulated nanoCLR found: the deploy partition it mapped, the assemblies it loaded, what it skipped, and why the app would not start.</summary>
public sealed record AppStartReport(string? AppPartition, IReadOnlyList<PeAssembly> Assemblies, IReadOnlyList<string> Skipped, IReadOnlyList<AppBinding.Problem> Problems)
{
    public bool Started => Problems.Count == 0;

    /// <summary>The assembly with this name, or null.</summary>
    public PeAssembly? Assembly(string name) => Assemblies.FirstOrDefault(a => AppBinding.DisplayName(a.Name) == name);
}
