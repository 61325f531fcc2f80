using NfGen.Metadata;

namespace NfGen.Checksum;

/// <summary>
/// The classes MetadataProcessor leaves out of the native checksum and the stubs: those the build
/// names (NFMDP_PE_ExcludeClassByName), three it always adds, and every type of the assembly marked
/// [ExcludeType]. (Minimize may still keep some of them in the .pe when kept types use them.)
/// </summary>
internal static class BuildExclusions
{
    public const string ExcludeTypeAttribute = "System.Runtime.CompilerServices.ExcludeTypeAttribute";

    /// <summary>MetadataProcessor v3 adds these to every build's list.</summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        "ThisAssembly",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
    ];

    public static HashSet<string> For(AssemblyModel assembly, IEnumerable<string>? named)
    {
        var all = new HashSet<string>(named ?? [], StringComparer.Ordinal);
        all.UnionWith(Defaults);
        all.UnionWith(assembly.Types.Where(t => t.AttributeTypes.Contains(ExcludeTypeAttribute)).Select(t => t.FullName));
        return all;
    }
}
