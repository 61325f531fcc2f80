using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Tests;

/// <summary>Class and method names, and the running checksum, against MetadataProcessor's own unit tests.</summary>
public sealed class NamingTests
{
    private static readonly AssemblyModel Fixture = AssemblyModel.Load(Paths.Fixture("StubsGenerationTestNFApp.dll"));

    private static TypeModel Type(string fullName) => Fixture.Types.Single(t => t.FullName == fullName);

    private static MethodModel Method(string type, string name) => Type(type).Methods.Single(m => m.Name == name);

    [Fact]
    public void ClassNamesJoinNamespaceAndNestingWithUnderscores()
    {
        Assert.Equal("TestNFApp_OneClassOverAll", NativeNames.ClassName(Type("TestNFApp.OneClassOverAll")));
        Assert.Equal("TestNFApp_OneClassOverAll__SubClass", NativeNames.ClassName(Type("TestNFApp.OneClassOverAll/SubClass")));
    }

    [Theory]
    [InlineData("DummyMethod", "DummyMethod___VOID")]
    [InlineData("DummyMethodWithParams", "DummyMethodWithParams___VOID__I4__STRING")]
    [InlineData("DummyStaticMethod", "DummyStaticMethod___STATIC__VOID")]
    [InlineData("DummyStaticMethodWithParams", "DummyStaticMethodWithParams___STATIC__VOID__I8__SystemDateTime")]
    [InlineData("DummyExternMethod", "DummyExternMethod___VOID")]
    [InlineData("DummyMethodWithUglyParams",
        "DummyMethodWithUglyParams___VOID__BYREF_I4__SZARRAY_U1__TestNFAppOneClassOverAll__SZARRAY_TestNFAppOneClassOverAll__SystemDateTime__R8__BYREF_TestNFAppOneClassOverAll__BYREF_TestNFAppOneClassOverAll__BYREF_I8")]
    public void MethodNamesFollowMetadataProcessor(string method, string expected)
    {
        Assert.Equal(expected, NativeNames.MethodName(Method("TestNFApp.OneClassOverAll", method)));
    }

    [Fact]
    public void JaggedArraysKeepOnlyTheInnermostTypeAndByRefArraysTheirElement()
    {
        Assert.Equal("NestedExtern___I4__SZARRAY_I4__BYREF_SZARRAY_U1", NativeNames.MethodName(Method("TestNFApp.OneClassOverAll/SubClass", "NestedExtern")));
    }

    [Fact]
    public void TheRunningChecksumMatchesMetadataProcessorsUnitTest()
    {
        // MetadataProcessor's CrcWithMethodDefinitionTest: a managed method, the extern one twice, the managed one again.
        var checksum = new NativeChecksum("TestNFApp");
        checksum.AddManaged();
        Assert.Equal(0u, checksum.Current);
        checksum.AddNative("TestNFApp_OneClassOverAll", "DummyExternMethod___VOID");
        Assert.Equal(519713657u, checksum.Current);
        checksum.AddNative("TestNFApp_OneClassOverAll", "DummyExternMethod___VOID");
        Assert.Equal(1574868855u, checksum.Current);
        checksum.AddManaged();
        Assert.Equal(2748897355u, checksum.Current);
    }

    [Fact]
    public void DelegatesInterfacesAndEnumsGetNoStubsButKeepTheirLookupEntries()
    {
        var layout = NativeLayout.Compute(Fixture);
        Assert.DoesNotContain(layout.Classes, c => c.Type.Name is "Callback" or "IExternal" or "Mode");
        Assert.Equal(["NativeMethodGeneration", "OneClassOverAll", "SubClass"], layout.Classes.Select(c => c.Type.Name).Order());
        var withMethods = layout.Types.Where(t => t.Methods.Count > 0).Sum(t => t.Methods.Count);
        Assert.Equal(withMethods, layout.LookupTable.Count);
        Assert.Equal(6, layout.LookupTable.Count(e => e is not null));
    }
}
