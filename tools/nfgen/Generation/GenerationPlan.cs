using NfGen.Checksum;
using NfGen.Host;
using NfGen.Metadata;
using NfGen.Stubs;

namespace NfGen.Generation;

/// <summary>Every file a config asks for, with its full path and exact text.</summary>
internal sealed class GenerationPlan
{
    private GenerationPlan(NativeLayout layout, IReadOnlyList<GeneratedFile> files)
    {
        Layout = layout;
        Files = files;
    }

    public NativeLayout Layout { get; }

    /// <summary>Files with absolute paths.</summary>
    public IReadOnlyList<GeneratedFile> Files { get; }

    public static GenerationPlan Create(NfGenConfig config, string? assemblyOverride = null)
    {
        var assembly = AssemblyModel.Load(assemblyOverride ?? config.Resolve(config.Assembly));
        var layout = NativeLayout.Compute(assembly, config.ExcludeClasses);
        if (layout.Classes.Count == 0)
        {
            throw new NfGenException(NfGenError.NoNativeMethods,
                $"{assembly.Name} declares no native method ([MethodImpl(MethodImplOptions.InternalCall)] extern); there is nothing to generate");
        }
        var names = new StubNames(assembly.Name, config.SkeletonName ?? assembly.Name, config.SkeletonProject ?? assembly.Name);
        var files = new List<GeneratedFile>();
        var outputs = config.Outputs;

        CBindingWriter? binding = null;
        if (outputs.CHeader is not null || outputs.HostExports is not null || outputs.HostBinding is not null || config.UserCode == "bridge")
        {
            binding = new CBindingWriter(layout, names, config.CPrefix, config.HostLibrary);
        }
        var cHeaderName = outputs.CHeader is null ? null : Path.GetFileName(outputs.CHeader);

        if (outputs.Nanoclr is not null)
        {
            var folder = config.Resolve(outputs.Nanoclr);
            var stubs = new NanoClrStubWriter(layout, names, new ReferenceSet(assembly, []));
            var nanoclr = new List<GeneratedFile> { stubs.AssemblyHeader(), stubs.LookupTable() };
            foreach (var nativeClass in layout.Classes)
            {
                nanoclr.Add(stubs.Marshalling(nativeClass));
                nanoclr.Add(stubs.ClassHeader(nativeClass));
                if (config.UserCode == "stub") nanoclr.Add(stubs.UserCodeStub(nativeClass));
            }
            if (config.UserCode == "bridge") nanoclr.AddRange(binding!.NanoClrBridges(cHeaderName!));
            var headerDirectory = outputs.CHeader is null
                ? []
                : new[] { Path.GetRelativePath(folder, Path.GetDirectoryName(config.Resolve(outputs.CHeader))!).Replace('\\', '/') };
            // nf_ota.cmake puts this folder on CMAKE_MODULE_PATH: the stubs sit beside the module.
            nanoclr.Add(stubs.CMakeModule(headerDirectory, "${CMAKE_CURRENT_LIST_DIR}"));
            files.AddRange(nanoclr.Select(f => f with { Path = Path.Combine(folder, f.Path) }));
        }
        if (outputs.CHeader is not null)
        {
            files.Add(binding!.CHeader(cHeaderName!) with { Path = config.Resolve(outputs.CHeader) });
        }
        if (outputs.HostExports is not null)
        {
            if (cHeaderName is null) throw new NfGenException(NfGenError.BadConfig, "outputs.hostExports needs outputs.cHeader (the exports call the functions it declares)");
            files.Add(binding!.HostExports(Path.GetFileName(outputs.HostExports), cHeaderName) with { Path = config.Resolve(outputs.HostExports) });
        }
        if (outputs.HostBinding is not null)
        {
            files.Add(binding!.HostBinding(Path.GetFileName(outputs.HostBinding)) with { Path = config.Resolve(outputs.HostBinding) });
        }
        return new GenerationPlan(layout, files);
    }

    /// <summary>Files whose content on disk differs from the plan (missing files included).</summary>
    public IEnumerable<GeneratedFile> OutOfDate() =>
        Files.Where(f => !File.Exists(f.Path) || File.ReadAllText(f.Path) != f.Content);

    /// <summary>Write the files that changed; returns them.</summary>
    public IReadOnlyList<GeneratedFile> Write()
    {
        var changed = OutOfDate().ToList();
        foreach (var file in changed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
            var temporary = file.Path + ".nfgen-tmp";
            File.WriteAllText(temporary, file.Content);
            File.Move(temporary, file.Path, overwrite: true);
        }
        return changed;
    }
}
