namespace NfOta.NanoFramework;

/// <summary>
/// Whether a managed app binds to a firmware, as nanoCLR decides at start-up (CLRStartup.cpp,
/// LoadAssembly): an assembly whose name has an entry in the firmware's native table loads only
/// when its header's native checksum equals the entry's (CLR_E_ASSM_WRONG_CHECKSUM otherwise);
/// and every assembly another one references must have loaded. One more rule nanoCLR does not
/// check at load but an app cannot survive: an assembly that declares native methods (a non-zero
/// checksum) needs the firmware to provide them.
/// </summary>
public static class AppBinding
{
    /// <summary>One reason the app would not start; empty list: it binds.</summary>
    public sealed record Problem(string Code, string Message);

    public static IReadOnlyList<Problem> Check(IReadOnlyList<PeAssembly> app, NativeAssemblyTable firmware)
    {
        var problems = new List<Problem>();
        var loaded = new List<PeAssembly>();
        foreach (var assembly in app)
        {
            var name = DisplayName(assembly.Name);
            var native = firmware.Find(assembly.Name ?? "mscorlib");
            if (native is not null && native.Checksum != assembly.NativeChecksum)
            {
                problems.Add(new Problem("CLR_E_ASSM_WRONG_CHECKSUM",
                    $"{name} {assembly.Version} needs native checksum 0x{assembly.NativeChecksum:X8} but the firmware's {native.Name} is 0x{native.Checksum:X8}"));
                continue;
            }
            if (native is null && assembly.NativeChecksum != 0)
            {
                problems.Add(new Problem("native-missing",
                    $"{name} {assembly.Version} has native methods (checksum 0x{assembly.NativeChecksum:X8}) but the firmware has no native {name}"));
            }
            loaded.Add(assembly);
        }
        foreach (var assembly in loaded)
        {
            foreach (var (refName, refVersion) in assembly.References)
            {
                if (!loaded.Any(a => a.Name == refName))
                {
                    problems.Add(new Problem("assembly-missing",
                        $"{DisplayName(assembly.Name)} needs {DisplayName(refName)} {refVersion}, which is not deployed or did not load"));
                }
            }
        }
        return problems;
    }

    /// <summary>What an app needs from a firmware: each assembly with native methods, by name and checksum.</summary>
    public static NativeAssemblyTable Needs(IReadOnlyList<PeAssembly> app) =>
        new([.. app.Where(a => a.NativeChecksum != 0).Select(a => new NativeAssembly(a.Name ?? "mscorlib", a.NativeChecksum))]);

    public static string DisplayName(string? name) => name ?? "mscorlib";
}
