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
    public void WithoutAnExclusionListExcludeTypeAndTheDefaultsGiveTheSameChecksum()
    {
        // mscorlib marks 76 types [ExcludeType]; MetadataProcessor needs no list for it, nor does nfgen.
        Assert.Equal(76, Mscorlib.Types.Count(t => t.AttributeTypes.Contains(BuildExclusions.ExcludeTypeAttribute)));
        Assert.Equal($"0x{Pe.NativeChecksum:X8}", $"0x{NativeLayout.Compute(Mscorlib).Checksum:X8}");
    }

    [Fact]
    public void WithoutAnExclusionListTheLookupTableIsNfInterpretersCorlibNative()
    {
        // nf-interpreter main's src/CLR/CorLib/corlib_native.cpp for 1.17.11: 803 entries, 249 native;
        // SHA-256 of the names after "::" (NULL as is), one per line, no trailing newline.
        var layout = NativeLayout.Compute(Mscorlib);
        var names = layout.LookupTable.Select(e => e is null ? "NULL" : e.MethodName).ToList();
        Assert.Equal(803, names.Count);
        Assert.Equal(249, names.Count(n => n != "NULL"));
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join('\n', names)));
        Assert.Equal("cb1767c30deb4f4aed71c38ecb962913593a54ba8fb92f58a849322b942ad57a", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void MinimizeKeepsExactlyTheTypesOfMscorlibPe()
    {
        // Two [ExcludeType] enums come back because kept types use them (BindingFlags, DateTime/DateTimePart).
        var excluded = BuildExclusions.For(Mscorlib, null);
        var kept = Minimizer.Run(Mscorlib, excluded);
        var types = NativeLayout.Compute(Mscorlib).Types.Where(t => kept.Types.Contains(t.Handle)).ToList();
        Assert.Equal(Pe.Types.Count, types.Count);
        Assert.Equal(["System.DateTime/DateTimePart", "System.Reflection.BindingFlags"],
            types.Where(t => excluded.Contains(t.FullName)).Select(t => t.FullName).Order(StringComparer.Ordinal));
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
