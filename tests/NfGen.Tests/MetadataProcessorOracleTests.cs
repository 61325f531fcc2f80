using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NfGen.Checksum;
using NfGen.Generation;
using NfGen.Metadata;
using NfGen.Stubs;

namespace NfGen.Tests;

/// <summary>
/// nanoFramework's MetadataProcessor v3.0.100 (tag v3.0.100, commit 4541b46, built for .NET 10 and
/// run on these fixtures with mscorlib 1.17.11 as load hint, exactly as the nanoFramework build
/// passes its arguments) gave the numbers below: native checksum, the method_lookup table (entries,
/// native entries, SHA-256 of the names after "::" with NULL as is, joined by '\n'), the size of the
/// .pe's TypeDef table, and the FIELD constants and enums of the generated header. nfgen must give
/// the same from the .dll alone. Nothing MetadataProcessor wrote is in the repository, only these facts.
/// </summary>
public sealed class MetadataProcessorOracleTests
{
    /// <summary>One MetadataProcessor run: the fixture, the build's exclusion list (an .nfproj), and its answers.</summary>
    public sealed record Run(
        string Assembly, string? Nfproj, uint Checksum, int Entries, int Natives, string Digest, int TypeDefs,
        string[] Fields, string[] Enums, string[] NoStruct)
    {
        public override string ToString() => Nfproj is null ? Assembly : $"{Assembly} with {Nfproj}";
    }

    public static readonly Run[] Runs =
    [
        // a. Excluded classes that kept ones use: without the list, then with the .nfproj's three exclusions.
        new("NfgExclusionNFApp", null, 0xCB57D004, 17, 8, "386e19b7603a34af52128eb2e673cfd6ad8ed517a8f5cb0ef557a617d921171b", 6,
            ["PinEntry.FIELD__Key=1", "PinEntry.FIELD__Value=2", "SensorEventArgs.FIELD__Channel=1", "SensorEventArgs.FIELD__Value=2",
             "SensorHub.FIELD___last=1", "SensorHub.FIELD___listener=2", "SensorHub.FIELD___mode=3", "SensorHub.FIELD___pins=4",
             "SensorListener.FIELD___count=1"],
            ["SensorMode"], []),
        new("NfgExclusionNFApp", "NfgExclusionNFApp.nfproj", 0x5DD75E4A, 14, 6, "928ed2f8ff2b9122df789e85559683efa5f58e5bc067906677588bb5383f9023", 6,
            ["SensorHub.FIELD___last=1", "SensorHub.FIELD___listener=2", "SensorHub.FIELD___mode=3", "SensorHub.FIELD___pins=4"],
            ["SensorMode"], ["PinEntry", "SensorEventArgs", "SensorListener"]),
        // b. [ExcludeType]: an unused class dropped, a struct, a class and an enum kept because a kept class uses them.
        new("NfgExcludeTypeNFApp", null, 0x2D6DF670, 9, 4, "5403f96f392ea213bea46bea2180818ef706dea866ed31f1bf9f73ee37f7d5d9", 6,
            ["Extent.FIELD__Width=1", "Extent.FIELD__Height=2",
             "Plotter.FIELD___origin=1", "Plotter.FIELD___style=2", "Plotter.FIELD___color=3", "Plotter.FIELD___title=4"],
            ["PenStyle"], ["HiddenBrush", "HiddenPoint"]),
        // c. One source, C# 7.3 and the latest language version with nullable (the compiler adds attribute types).
        new("NfgLang73NFApp", null, 0x30993A5E, 8, 5, "4dafb2131a2f2e8597f72a900166acda67c42f3c4331b6078f03680734decb0f", 4,
            ["Display.FIELD___name=1", "Display.FIELD___glyphs=2", "Display.FIELD___rotation=3", "Display.FIELD___owner=4",
             "Glyph.FIELD__Code=1", "Glyph.FIELD__Width=2"],
            ["Rotation"], []),
        new("NfgLangLatestNFApp", null, 0x81DE6308, 12, 5, "817a0a45aee9123ce6acfcda953c36b5a8cf764bdc9a2686230c5287a53b2ea2", 7,
            ["Display.FIELD___name=1", "Display.FIELD___glyphs=2", "Display.FIELD___rotation=3", "Display.FIELD___owner=4",
             "Glyph.FIELD__Code=1", "Glyph.FIELD__Width=2"],
            ["Rotation"], ["EmbeddedAttribute", "NullableAttribute", "NullableContextAttribute"]),
        // d. Structs and classes deriving from mscorlib's Exception, EventArgs, Attribute, and from another library.
        new("NfgBaseNFLib", null, 0x1AB8C27C, 13, 8, "1898c33ed471afd4f2c15d3fecd01797009762eaf074978a8fd712657c032458", 5,
            ["BaseDeviceException.FIELD__ErrorCode=5", "BaseDeviceException.FIELD__Device=6",
             "DeviceBase.FIELD___handle=1", "DeviceBase.FIELD___id=2", "DeviceBase.FIELD___sync=3",
             "DeviceKindAttribute.FIELD__Kind=1", "DeviceKindAttribute.FIELD__Revision=2",
             "Reading.FIELD__Raw=1", "Reading.FIELD__Stamp=2", "Reading.FIELD__Scale=3",
             "ReadingEventArgs.FIELD__Reading=1", "ReadingEventArgs.FIELD__Channel=2"],
            [], []),
        // SubCode: 4 (System.Exception) + 2 (BaseDeviceException) + 1. Unpatched MDP 3.0.100 prints 17 on a
        // .NET 10 host: it resolves a hinted assembly's own base types with Cecil's default resolver, which
        // finds the host runtime's System.Exception (14 fields). With the load hints passed through it prints 7.
        new("NfgDerivedNFLib", null, 0x62622828, 7, 4, "a572a56c27459c2e853aa6e588baf52d7c8a6b99851cbe05b58fb24909934489", 2,
            ["SpecialDevice.FIELD___lastReading=4", "SpecialDevice.FIELD___gain=5", "SpecialDevice.FIELD___pending=6",
             "SpecialDeviceException.FIELD__SubCode=7"],
            [], []),
        // e. Auto-properties (renamed backing fields), enums of other widths, object parameters, ThisAssembly, [AccessedThroughProperty].
        new("NfgMiscNFApp", null, 0xF8D5F1BC, 19, 4, "3af66d30343e11dd141451c02816d0307ec741e7a26f9b371857beb7231ca2ec", 4,
            ["Settings.FIELD_STATIC__Instances=0", "Settings.FIELD___owner=1", "Settings.FIELD___version=2",
             "Settings.FIELD__Retries=3", "Settings.FIELD__Label=4", "Settings.FIELD__Level=5",
             "Window.FIELD__Left=1", "Window.FIELD__Width=2", "Window.FIELD___z=3"],
            ["Flags", "Level"], []),
    ];

    public static TheoryData<int> RunIndexes() => new(Enumerable.Range(0, Runs.Length));

    private static NativeLayout Layout(Run run)
    {
        var excluded = run.Nfproj is null ? [] : ExcludedClasses.FromNfproj(Paths.Fixture(run.Nfproj)).ToList();
        return NativeLayout.Compute(AssemblyModel.Load(Paths.Fixture(run.Assembly + ".dll")), excluded);
    }

    [Theory]
    [MemberData(nameof(RunIndexes))]
    public void ChecksumLookupTableAndTypeTableAreMetadataProcessors(int index)
    {
        var run = Runs[index];
        var layout = Layout(run);
        Assert.Equal($"0x{run.Checksum:X8}", $"0x{layout.Checksum:X8}");
        var names = layout.LookupTable.Select(e => e is null ? "NULL" : e.MethodName).ToList();
        Assert.Equal((run.Entries, run.Natives), (names.Count, names.Count(n => n != "NULL")));
        Assert.Equal(run.Digest, Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', names)))));
        Assert.Equal(run.TypeDefs, layout.KeptTypes.Count);
    }

    [Theory]
    [MemberData(nameof(RunIndexes))]
    public void HeaderFieldsAndEnumsAreMetadataProcessors(int index)
    {
        var run = Runs[index];
        var layout = Layout(run);
        var header = new NanoClrStubWriter(layout, new StubNames(run.Assembly, run.Assembly, run.Assembly),
            new ReferenceSet(layout.Assembly, [Paths.Oracle("mscorlib.dll")])).AssemblyHeader().Content;

        var prefix = $"Library_{run.Assembly}_";
        var fields = new List<string>();
        var structs = new List<string>();
        foreach (Match s in Regex.Matches(header, @"struct (\w+)\n\{\n(.*?)\n\};", RegexOptions.Singleline))
        {
            var className = s.Groups[1].Value[prefix.Length..].Split('_').Last();
            structs.Add(className);
            foreach (Match f in Regex.Matches(s.Groups[2].Value, @"static const int (FIELD\w*) = (\d+);"))
            {
                fields.Add($"{className}.{f.Groups[1].Value}={f.Groups[2].Value}");
            }
        }
        Assert.Equal(run.Fields.Order(StringComparer.Ordinal), fields.Order(StringComparer.Ordinal));
        // In the header's order: MetadataProcessor sorts enums by full name (see HeaderEnumTests).
        Assert.Equal(run.Enums, Regex.Matches(header, @"\} (\w+);").Select(m => m.Groups[1].Value));
        Assert.All(run.NoStruct, name => Assert.DoesNotContain(name, structs));
    }

    [Fact]
    public void AnAutoPropertysBackingFieldIsRenamedWithACommentAbove()
    {
        var run = Runs.Single(r => r.Assembly == "NfgMiscNFApp");
        var layout = Layout(run);
        var header = new NanoClrStubWriter(layout, new StubNames(run.Assembly, run.Assembly, run.Assembly),
            new ReferenceSet(layout.Assembly, [Paths.Oracle("mscorlib.dll")])).AssemblyHeader().Content;
        Assert.Contains("    // renamed backing field '<Retries>k__BackingField'\n    static const int FIELD__Retries = 3;\n", header);
        Assert.Contains("    // renamed backing field '<Instances>k__BackingField'\n    static const int FIELD_STATIC__Instances = 0;\n", header);
        Assert.DoesNotContain("Something wrong", header);
    }
}
