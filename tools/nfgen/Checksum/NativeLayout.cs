using NfGen.Metadata;

namespace NfGen.Checksum;

/// <summary>One native method: where it sits and what MetadataProcessor calls it.</summary>
internal sealed record NativeMethod(TypeModel Type, MethodModel Method, string ClassName, string MethodName);

/// <summary>A class with at least one native method, and those methods in table order.</summary>
internal sealed record NativeClass(TypeModel Type, string ClassName, IReadOnlyList<NativeMethod> Methods);

/// <summary>
/// What MetadataProcessor derives from an assembly for native code: the type order, the native
/// methods checksum nanoCLR compares when it binds a native library, and the method lookup table
/// (one entry per method of every type that has methods, NULL where the method is not native).
/// </summary>
internal sealed class NativeLayout
{
    private NativeLayout(AssemblyModel assembly, IReadOnlyList<TypeModel> types, IReadOnlyList<TypeModel> keptTypes, IReadOnlySet<string> excluded,
        uint checksum, IReadOnlyList<NativeMethod?> lookup, IReadOnlyList<NativeClass> classes)
    {
        Assembly = assembly;
        Types = types;
        KeptTypes = keptTypes;
        Excluded = excluded;
        Checksum = checksum;
        LookupTable = lookup;
        Classes = classes;
    }

    public AssemblyModel Assembly { get; }

    /// <summary>The assembly's types in MetadataProcessor's TypeDef table order.</summary>
    public IReadOnlyList<TypeModel> Types { get; }

    /// <summary>The types Minimize keeps (what the .pe's TypeDef table holds), in table order.</summary>
    public IReadOnlyList<TypeModel> KeptTypes { get; }

    /// <summary>The classes the build excludes: the given list, MetadataProcessor's defaults and [ExcludeType] types.</summary>
    public IReadOnlySet<string> Excluded { get; }

    /// <summary>MetadataProcessor's ShouldIncludeType: stub-able, not excluded, not an attribute it ignores.</summary>
    public bool GetsStub(TypeModel type) => GetsStub(type, Excluded);

    private static bool GetsStub(TypeModel type, IReadOnlySet<string> excluded) =>
        IncludeInStub(type) && !Minimizer.IsToExclude(type, excluded) && !Minimizer.IgnoredAttributes.Contains(type.FullName);

    /// <summary>The native methods checksum (0 when the assembly has no native method).</summary>
    public uint Checksum { get; }

    /// <summary>method_lookup[]: null entries are NULL.</summary>
    public IReadOnlyList<NativeMethod?> LookupTable { get; }

    /// <summary>Classes that get stubs (they have native methods), in table order.</summary>
    public IReadOnlyList<NativeClass> Classes { get; }

    public IEnumerable<NativeMethod> NativeMethods => Classes.SelectMany(c => c.Methods);

    public static NativeLayout Compute(AssemblyModel assembly, IReadOnlyCollection<string>? classesToExclude = null, IComparer<string>? nameComparer = null)
    {
        var excluded = BuildExclusions.For(assembly, classesToExclude);
        var types = TypeOrder.Sort(assembly, nameComparer);

        // Only stub-able, non-excluded types take part in the checksum.
        var checksum = new NativeChecksum(assembly.Name);
        var classes = new List<NativeClass>();
        foreach (var type in types)
        {
            if (!IncludeInStub(type) || IsExcluded(type, excluded)) continue;
            var className = NativeNames.ClassName(type);
            var natives = new List<NativeMethod>();
            foreach (var method in OrderedMethods(type.Methods))
            {
                if (IsNative(method))
                {
                    var native = new NativeMethod(type, method, className, NativeNames.MethodName(method));
                    checksum.AddNative(className, native.MethodName);
                    natives.Add(native);
                }
                else
                {
                    checksum.AddManaged();
                }
            }
            if (natives.Count > 0) classes.Add(new NativeClass(type, className, natives));
        }

        // The lookup table covers the types and methods Minimize keeps, in table order: excluded
        // classes that kept ones use come back with the members they reach, all NULL.
        var kept = Minimizer.Run(assembly, excluded);
        var byMethod = classes.SelectMany(c => c.Methods).ToDictionary(m => m.Method.Handle);
        var lookup = new List<NativeMethod?>();
        var keptTypes = types.Where(t => kept.Types.Contains(t.Handle)).ToList();
        foreach (var type in keptTypes)
        {
            var stubbed = GetsStub(type, excluded);
            foreach (var method in OrderedMethods(type.Methods.Where(m => kept.Methods.Contains(m.Handle))))
            {
                lookup.Add(stubbed && IsNative(method)
                    ? byMethod.GetValueOrDefault(method.Handle) ?? new NativeMethod(type, method, NativeNames.ClassName(type), NativeNames.MethodName(method))
                    : null);
            }
        }

        return new NativeLayout(assembly, types, keptTypes, excluded, checksum.Current, lookup, classes);
    }

    /// <summary>Virtual methods first, then other instance methods, then static ones; metadata order within each.</summary>
    public static IEnumerable<MethodModel> OrderedMethods(IEnumerable<MethodModel> methods)
    {
        var all = methods.ToList();
        return all.Where(m => m.IsVirtual)
            .Concat(all.Where(m => !(m.IsVirtual || m.IsStatic)))
            .Concat(all.Where(m => m.IsStatic));
    }

    /// <summary>Stubs are made for classes and value types, never for enums, interfaces or delegates.</summary>
    public static bool IncludeInStub(TypeModel type) =>
        !type.IsDelegate && !type.IsMulticastDelegate && !type.IsEnum && !type.IsInterface;

    /// <summary>A method without IL that is not abstract is implemented natively.</summary>
    public static bool IsNative(MethodModel method) => method.Rva == 0 && !method.IsAbstract;

    /// <summary>The checksum skips excluded classes by full name, and their nested types.</summary>
    private static bool IsExcluded(TypeModel type, IReadOnlyCollection<string> excluded) =>
        excluded.Contains(type.FullName) || (type.DeclaringType is { } outer && excluded.Contains(outer.FullName));
}
