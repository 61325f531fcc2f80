using System.Text.RegularExpressions;
using NfGen.Checksum;
using NfGen.Metadata;
using NfGen.Stubs;

namespace NfGen.Tests;

/// <summary>
/// The enums of the assembly header, as MetadataProcessor v3.0.100 writes them (nanoTypeDefinitionTable
/// builds its enum list from every type of the assembly sorted by Cecil's full name, before Minimize;
/// the skeleton generator drops only enums whose own full or short name is excluded). nf-interpreter's
/// generated headers follow it: sys_dev_wifi_native.h, nf_sys_io_filesystem.h, and in sys_net_native.h
/// NetworkInterface_UpdateOperation comes before NetworkInterfaceType ('/' sorts before letters).
/// </summary>
public sealed class HeaderEnumTests
{
    private static string Header(string assembly)
    {
        var model = AssemblyModel.Load(Paths.Fixture(assembly + ".dll"));
        var layout = NativeLayout.Compute(model);
        var writer = new NanoClrStubWriter(layout, new StubNames(assembly, assembly, assembly), new ReferenceSet(model, [Paths.Oracle("mscorlib.dll")]));
        return writer.AssemblyHeader().Content;
    }

    private static List<string> EnumsInOrder(string header) =>
        Regex.Matches(header, @"typedef enum __nfpack (\w+)\n").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void EnumsAreSortedByFullNameNotByTypeTableOrder()
    {
        // TypeDef order would put Zone first (Apple's body passes it); culture-aware full-name order
        // puts Ledger before LEDState and Radio/Band before RadioAlarm.
        Assert.Equal(["Ledger", "LEDState", "Radio_Band", "RadioAlarm", "Vault_Lock", "Zone"], EnumsInOrder(Header("NfgEnumOrderNFApp")));
    }

    [Fact]
    public void AnEnumNestedInAnExcludedClassStaysThoughTheClassIsGone()
    {
        var layout = NativeLayout.Compute(AssemblyModel.Load(Paths.Fixture("NfgEnumOrderNFApp.dll")));
        Assert.DoesNotContain(layout.KeptTypes, t => t.FullName.StartsWith("NfgEnumOrderNFApp.Vault", StringComparison.Ordinal));

        var header = Header("NfgEnumOrderNFApp");
        Assert.Contains("typedef enum __nfpack Vault_Lock\n{\n    Vault_Lock_Shut = 0,\n    Vault_Lock_Open = 1,\n} Vault_Lock;\n", header);
        Assert.DoesNotContain("Hidden", header); // an [ExcludeType] enum itself is left out
    }
}
