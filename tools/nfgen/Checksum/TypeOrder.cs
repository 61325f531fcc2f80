using System.Globalization;
using NfGen.Metadata;

namespace NfGen.Checksum;

/// <summary>
/// The order MetadataProcessor gives an assembly's types (its TypeDefinition table, and so the
/// order of the checksum and of the method lookup table): by full name, then depth first so that a
/// type comes after its declaring type, the interfaces it implements and the types its method
/// bodies pass to or get back from the methods they call.
/// </summary>
internal static class TypeOrder
{
    /// <summary>
    /// MetadataProcessor sorts names with .NET's default string comparer, which is culture-aware
    /// (its builds run with an English culture): "System.Int32" sorts before "System.IO".
    /// ICU's invariant-culture order gives the same result for identifier characters.
    /// </summary>
    public static IComparer<string> NameComparer { get; } = StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: false);

    public static List<TypeModel> Sort(AssemblyModel assembly, IComparer<string>? nameComparer = null)
    {
        var processed = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<TypeModel>();
        Visit(assembly, assembly.Types.OrderBy(t => t.FullName, nameComparer ?? NameComparer), processed, result);
        return result;
    }

    private static void Visit(AssemblyModel assembly, IEnumerable<TypeModel> types, HashSet<string> processed, List<TypeModel> result)
    {
        foreach (var type in types)
        {
            if (processed.Contains(type.FullName)) continue;

            if (type.DeclaringType is { } declaring)
            {
                Visit(assembly, [declaring], processed, result);
            }

            Visit(assembly, type.Interfaces.Select(assembly.ResolveOwn).OfType<TypeModel>().ToList(), processed, result);

            if (processed.Add(type.FullName))
            {
                var used = new List<TypeModel>();
                foreach (var method in type.Methods)
                {
                    foreach (var called in method.ReferencedMethods())
                    {
                        if (assembly.ResolveOwn(called.ReturnType) is { } returned && returned.FullName != "System.Void")
                        {
                            used.Add(returned);
                        }
                        foreach (var parameter in called.ParameterTypes)
                        {
                            if (assembly.ResolveOwn(parameter) is { } passed) used.Add(passed);
                        }
                    }
                }
                Visit(assembly, used, processed, result);
                result.Add(type);
            }
        }
    }
}
