using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Tests;

/// <summary>
/// nanoFramework's mscorlib 1.17.11: the .dll the compiler made and the .pe MetadataProcessor
/// made from it, both from the NuGet package. nfgen must reach the same checksum, type order
/// and method order from the .dll alone.
/// </summary>
public sealed class MscorlibOracleTests
{
    private static readonly AssemblyModel Mscorlib = AssemblyModel.Load(Paths.Oracle("mscorlib.dll"));
    private static readonly NanoPe Pe = new(File.ReadAllBytes(Paths.Oracle("mscorlib.pe")));
    private static readonly string[] Excluded = Paths.ExcludedMscorlibClasses();

    [Fact]
    public void TheNativeChecksumIsTheOneInMscorlibPe()
    {
        Assert.Equal(0x1549C856u, Pe.NativeChecksum);
        var layout = NativeLayout.Compute(Mscorlib, Excluded);
        Assert.Equal($"0x{Pe.NativeChecksum:X8}", $"0x{layout.Checksum:X8}");
        Assert.Equal(249, layout.NativeMethods.Count());
    }

    [Fact]
    public void WithoutTheBuildsExclusionsTheChecksumDiffers()
    {
        Assert.NotEqual(Pe.NativeChecksum, NativeLayout.Compute(Mscorlib).Checksum);
    }

    [Fact]
    public void OrdinalSortingWouldGiveADifferentTypeTable()
    {
        // MetadataProcessor sorts names with the culture-aware default comparer; mscorlib's checksum
        // happens not to notice, its TypeDef table does.
        var ordinal = KeptTypes(StringComparer.Ordinal);
        var culture = KeptTypes();
        Assert.Equal(culture.Count, ordinal.Count);
        Assert.NotEqual(culture.Select(t => t.FullName), ordinal.Select(t => t.FullName));
        Assert.True(StringComparer.Create(System.Globalization.CultureInfo.InvariantCulture, false).Compare("System.Int32", "System.IO.IOException") < 0);
    }

    [Fact]
    public void TypesComeInTheOrderOfMscorlibPesTypeDefTable()
    {
        var kept = KeptTypes();
        Assert.Equal(Pe.Types.Count, kept.Count);
        var first = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var methods = kept[i].Methods;
            var expected = Pe.Types[i];
            var actual = new NanoPe.TypeRecord(methods.Count(m => m.IsVirtual), methods.Count(m => !m.IsVirtual && !m.IsStatic), methods.Count(m => m.IsStatic), first);
            Assert.True(expected == actual, $"type #{i} {kept[i].FullName}: .pe {expected}, nfgen {actual}");
            first += methods.Count;
        }
    }

    [Fact]
    public void MethodsComeInTheOrderOfMscorlibPesMethodDefTable()
    {
        var methods = KeptTypes().SelectMany(t => NativeLayout.OrderedMethods(t.Methods)).ToList();
        Assert.Equal(Pe.Methods.Count, methods.Count);
        for (var i = 0; i < methods.Count; i++)
        {
            var m = methods[i];
            var arguments = m.Parameters.Count + (m.IsStatic ? 0 : 1);
            // MetadataProcessor writes RVA 0xFFFF for a method without byte code.
            Assert.True((Pe.Methods[i].Rva == 0xFFFF) == (m.Rva == 0) && Pe.Methods[i].Arguments == arguments,
                $"method #{i} {m}: .pe rva 0x{Pe.Methods[i].Rva:X4} args {Pe.Methods[i].Arguments}, nfgen rva {m.Rva} args {arguments}");
        }
    }

    [Fact]
    public void TheLookupTableHasOneEntryPerKeptMethodAndNamesTheNativeOnes()
    {
        var layout = NativeLayout.Compute(Mscorlib, Excluded);
        Assert.Equal(Pe.Methods.Count, layout.LookupTable.Count);
        var natives = layout.LookupTable.Where(e => e is not null).Select(e => $"{e!.ClassName}::{e.MethodName}").ToList();
        Assert.Contains("System_String::get_Length___I4", natives);
        Assert.Contains("System_Array::Copy___STATIC__VOID__SystemArray__I4__SystemArray__I4__I4", natives);
        Assert.Contains("System_Convert::NativeToDateTime___STATIC__VOID__STRING__BOOLEAN__BYREF_BOOLEAN__BYREF_SystemDateTime", natives);
        Assert.Contains("System_Threading_Interlocked::CompareExchange___STATIC__I4__BYREF_I4__I4__I4", natives);
    }

    private static List<TypeModel> KeptTypes(IComparer<string>? names = null) =>
        NativeLayout.Compute(Mscorlib, Excluded, names).Types
            .Where(t => !Excluded.Contains(t.FullName) && !(t.DeclaringType is { } outer && Excluded.Contains(outer.FullName)))
            .ToList();
}
