using NfGen.Checksum;
using NfGen.Metadata;
using NfGen.Stubs;

namespace NfGen.Tests;

/// <summary>nfgen's nanoCLR stubs against the text MetadataProcessor's StubsGenerationTests expect.</summary>
public sealed class StubLayoutTests
{
    private static readonly AssemblyModel Fixture = AssemblyModel.Load(Paths.Fixture("StubsGenerationTestNFApp.dll"));
    private static readonly NativeLayout Layout = NativeLayout.Compute(Fixture);
    private static readonly StubNames Names = new("StubsGenerationTestNFApp", "testStubs", "StubsGenerationTestNFApp");
    private static readonly NanoClrStubWriter Writer = new(Layout, Names, new ReferenceSet(Fixture, [Paths.Oracle("mscorlib.dll")]));
    private static readonly NativeClass Generation = Layout.Classes.Single(c => c.Type.Name == "NativeMethodGeneration");

    [Fact]
    public void FileNamesFollowTheProjectAndClassNames()
    {
        Assert.Equal("StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration_mshl.cpp", Writer.Marshalling(Generation).Path);
        Assert.Equal("StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration.cpp", Writer.UserCodeStub(Generation).Path);
        Assert.Equal("StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration.h", Writer.ClassHeader(Generation).Path);
        Assert.Equal("StubsGenerationTestNFApp.h", Writer.AssemblyHeader().Path);
        Assert.Equal("StubsGenerationTestNFApp.cpp", Writer.LookupTable().Path);
    }

    [Fact]
    public void MarshallingOfByRefParametersMatches()
    {
        const string expected = """
            HRESULT Library_StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration::NativeMethodWithReferenceParameters___VOID__BYREF_U1__BYREF_U2( CLR_RT_StackFrame& stack )
            {
                NANOCLR_HEADER(); hr = S_OK;
                {

                    uint8_t *param0;
                    uint8_t heapblock0[CLR_RT_HEAP_BLOCK_SIZE];
                    NANOCLR_CHECK_HRESULT( Interop_Marshal_UINT8_ByRef( stack, heapblock0, 1, param0 ) );

                    uint16_t *param1;
                    uint8_t heapblock1[CLR_RT_HEAP_BLOCK_SIZE];
                    NANOCLR_CHECK_HRESULT( Interop_Marshal_UINT16_ByRef( stack, heapblock1, 2, param1 ) );

                    NativeMethodGeneration::NativeMethodWithReferenceParameters( *param0, *param1, hr );
                    NANOCLR_CHECK_HRESULT( hr );

                }
                NANOCLR_NOCLEANUP();
            }
            """;
        Assert.Contains(expected, Writer.Marshalling(Generation).Content);
    }

    [Fact]
    public void MarshallingOfStaticMethodsAndReturnValuesMatches()
    {
        const string noParameters = """
            HRESULT Library_StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration::NativeStaticMethod___STATIC__VOID( CLR_RT_StackFrame& stack )
            {
                NANOCLR_HEADER(); hr = S_OK;
                {

                    NativeMethodGeneration::NativeStaticMethod(  hr );
                    NANOCLR_CHECK_HRESULT( hr );

                }
                NANOCLR_NOCLEANUP();
            }
            """;
        const string returningByte = """
            HRESULT Library_StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration::NativeStaticMethodReturningByte___STATIC__U1__CHAR( CLR_RT_StackFrame& stack )
            {
                NANOCLR_HEADER(); hr = S_OK;
                {

                    char param0;
                    NANOCLR_CHECK_HRESULT( Interop_Marshal_CHAR( stack, 0, param0 ) );

                    uint8_t retValue = NativeMethodGeneration::NativeStaticMethodReturningByte( param0, hr );
                    NANOCLR_CHECK_HRESULT( hr );
                    SetResult_UINT8( stack, retValue );
                }
                NANOCLR_NOCLEANUP();
            }
            """;
        var content = Writer.Marshalling(Generation).Content;
        Assert.Contains(noParameters, content);
        Assert.Contains(returningByte, content);
    }

    [Fact]
    public void UserCodeStubsAndTheClassHeaderMatch()
    {
        const string byRef = """
            void NativeMethodGeneration::NativeMethodWithReferenceParameters( uint8_t& param0, uint16_t& param1, HRESULT &hr )
            {

                (void)param0;
                (void)param1;
                (void)hr;


                ////////////////////////////////
                // implementation starts here //


                // implementation ends here   //
                ////////////////////////////////


            }
            """;
        const string returningByte = """
            uint8_t NativeMethodGeneration::NativeStaticMethodReturningByte( char param0, HRESULT &hr )
            {

                (void)param0;
                (void)hr;
                uint8_t retValue = 0;

                ////////////////////////////////
                // implementation starts here //


                // implementation ends here   //
                ////////////////////////////////

                return retValue;
            }
            """;
        var stub = Writer.UserCodeStub(Generation).Content;
        Assert.Contains(byRef, stub);
        Assert.Contains(returningByte, stub);
        var header = Writer.ClassHeader(Generation).Content;
        Assert.Contains("static void NativeMethodWithReferenceParameters( uint8_t& param0, uint16_t& param1, HRESULT &hr );", header);
        Assert.Contains("static void NativeStaticMethod(  HRESULT &hr );", header);
        Assert.Contains("static uint8_t NativeStaticMethodReturningByte( char param0, HRESULT &hr );", header);
    }

    [Fact]
    public void TheLookupFileCarriesNameChecksumAndNativeVersion()
    {
        var lookup = Writer.LookupTable().Content;
        Assert.Contains("const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_testStubs =\n{\n    \"StubsGenerationTestNFApp\",\n", lookup);
        Assert.Contains($"    0x{Layout.Checksum:X8},\n    method_lookup,\n    {{ 1, 2, 3, 4 }}\n}};", lookup);
        var entries = lookup.Split('\n').SkipWhile(l => !l.StartsWith('{')).Skip(1).TakeWhile(l => !l.StartsWith('}')).ToList();
        Assert.Equal(Layout.LookupTable.Count, entries.Count);
        Assert.Contains("    Library_StubsGenerationTestNFApp_TestNFApp_OneClassOverAll__SubClass::NestedExtern___I4__SZARRAY_I4__BYREF_SZARRAY_U1,", entries);
        Assert.Equal(Layout.LookupTable.Count(e => e is null), entries.Count(e => e == "    NULL,"));
    }

    [Fact]
    public void TheAssemblyHeaderDeclaresEveryNativeMethodAndTheEnums()
    {
        var header = Writer.AssemblyHeader().Content;
        Assert.Contains("typedef enum __nfpack OneClassOverAll_Mode\n{\n    OneClassOverAll_Mode_Off = 0,\n    OneClassOverAll_Mode_On = 5,\n    OneClassOverAll_Mode_Negative = -3,\n} OneClassOverAll_Mode;", header);
        Assert.Contains("struct Library_StubsGenerationTestNFApp_StubsGenerationTestNFApp_NativeMethodGeneration\n{\n    NANOCLR_NATIVE_DECLARE(NativeMethod___VOID);", header);
        Assert.Contains("    static const int FIELD__dummyField = 1;", header);
        Assert.Contains("extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_testStubs;", header);
        Assert.Equal(Layout.NativeMethods.Count(), header.Split('\n').Count(l => l.Contains("NANOCLR_NATIVE_DECLARE(")));
    }
}
