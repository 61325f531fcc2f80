namespace NfGen.Metadata;

/// <summary>
/// The assemblies an interop assembly's types derive from (mscorlib for every struct and exception,
/// other nanoFramework libraries for their base classes), as MetadataProcessor's load hints give
/// them: MDP numbers a class's instance fields after all those of its base classes. Found from the
/// paths given (--reference, an .nfproj's HintPaths) and the folder of the assembly itself.
/// </summary>
internal sealed class ReferenceSet
{
    private readonly List<string> _candidates;
    private readonly Dictionary<string, AssemblyModel?> _loaded = new(StringComparer.OrdinalIgnoreCase);

    public ReferenceSet(AssemblyModel main, IEnumerable<string> paths)
    {
        Main = main;
        _loaded[main.Name] = main;
        _candidates = [.. paths];
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(main.Path));
        if (folder is not null && Directory.Exists(folder)) _candidates.AddRange(Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal));
    }

    public AssemblyModel Main { get; }

    /// <summary>
    /// The definition a base type names, in this assembly or a referenced one. Throws
    /// <see cref="NfGenException"/> (reference-missing) naming the assembly to pass when it is not found.
    /// </summary>
    public TypeModel ResolveBase(TypeModel type)
    {
        var owner = type.Assembly;
        if (owner.ResolveOwn(type.BaseType!) is { } own) return own;
        // A base in another assembly is a type reference whose scope is an assembly reference.
        if (type.BaseType!.Innermost is not NamedSig { Handle.Kind: System.Reflection.Metadata.HandleKind.TypeReference } named
            || owner.ReferencedAssembly((System.Reflection.Metadata.TypeReferenceHandle)named.Handle) is not { } reference)
        {
            throw new NfGenException(NfGenError.UnsupportedSignature, $"{type.FullName} derives from {type.BaseTypeFullName}, which nfgen cannot resolve");
        }
        var assembly = Load(reference.Name)
            ?? throw new NfGenException(NfGenError.ReferenceMissing,
                $"{type.FullName} derives from {type.BaseTypeFullName} in {reference.Name} {reference.Version}, which nfgen needs to number its fields: pass --reference path/to/{reference.Name}.dll");
        return assembly.FindType(named.FullName)
            ?? throw new NfGenException(NfGenError.ReferenceMissing,
                $"{type.FullName} derives from {type.BaseTypeFullName}, which {assembly.Path} does not define: pass the {reference.Name}.dll the assembly was built against ({reference.Version})");
    }

    private AssemblyModel? Load(string name)
    {
        if (_loaded.TryGetValue(name, out var known)) return known;
        var path = _candidates.FirstOrDefault(p => string.Equals(System.IO.Path.GetFileNameWithoutExtension(p), name, StringComparison.OrdinalIgnoreCase) && File.Exists(p));
        var assembly = path is null ? null : AssemblyModel.Load(path);
        _loaded[name] = assembly;
        return assembly;
    }
}
