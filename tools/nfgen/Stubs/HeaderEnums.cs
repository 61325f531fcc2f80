using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Stubs;

/// <summary>
/// The enums MetadataProcessor writes into the assembly header. It builds that list when it creates
/// the TypeDef table, before Minimize, from every type of the assembly sorted by Cecil's full name
/// (nested "Outer/Inner", .NET's default culture-aware comparer), so neither the table order nor
/// Minimize changes it. Its skeleton generator then drops an enum only when the exclusion list holds
/// the enum's own full or short name: an enum nested in an excluded class stays.
/// </summary>
internal static class HeaderEnums
{
    public static IEnumerable<TypeModel> Of(NativeLayout layout) =>
        layout.Assembly.Types
            .Where(t => t.IsEnum && !layout.Excluded.Contains(t.FullName) && !layout.Excluded.Contains(t.Name))
            .OrderBy(t => t.FullName, TypeOrder.NameComparer);
}
