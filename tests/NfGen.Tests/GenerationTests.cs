using System.Text.RegularExpressions;

namespace NfGen.Tests;

/// <summary>nfgen's command line: generate, --check, checksum, stubs, and its refusals.</summary>
public sealed class GenerationTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("nfgen-test-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = NfGenCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string InteropAssembly => Paths.Fixture("NfOta.Interop.dll");

    /// <summary>The check CI runs: the committed generated files are what nfgen writes for today's NfOta.Interop.</summary>
    [Fact]
    public void TheCommittedGeneratedFilesAreUpToDate()
    {
        var config = Path.Combine(Paths.RepoRoot, "native", "nfgen.json");
        var (exit, output, error) = Run("--config", config, "--check", "--assembly", InteropAssembly);
        Assert.True(exit == 0, $"nfgen --check failed; run nfgen and commit:\n{error}");
        Assert.Contains("9 generated files up to date", output);
    }

    [Fact]
    public void CheckFindsEditedAndMissingFilesAndGenerateRestoresThem()
    {
        var config = WriteConfig();
        Assert.Equal(0, Run("--config", config, "--assembly", InteropAssembly).Exit);
        Assert.Equal(0, Run("--config", config, "--check", "--assembly", InteropAssembly).Exit);

        var header = Path.Combine(_temp, "include", "nf_ota_interop.h");
        File.AppendAllText(header, "/* hand edit */\n");
        File.Delete(Path.Combine(_temp, "nanoclr", "NfOta_Interop.cpp"));
        var (exit, _, error) = Run("--config", config, "--check", "--assembly", InteropAssembly);
        Assert.Equal(1, exit);
        Assert.Contains("out of date: ", error);
        Assert.Contains("nf_ota_interop.h", error);
        Assert.Contains("NfOta_Interop.cpp", error);
        Assert.Contains("2 of 9 generated files differ", error);
        Assert.Contains("[out-of-date]", error);

        var regenerate = Run("--config", config, "--assembly", InteropAssembly);
        Assert.Equal(0, regenerate.Exit);
        Assert.Contains("2 written, 7 unchanged", regenerate.Out);
        Assert.Equal(0, Run("--config", config, "--check", "--assembly", InteropAssembly).Exit);
    }

    [Fact]
    public void WhatItGeneratesHereIsWhatIsCommitted()
    {
        var config = WriteConfig();
        Assert.Equal(0, Run("--config", config, "--assembly", InteropAssembly).Exit);
        var native = Path.Combine(Paths.RepoRoot, "native");
        Assert.Equal(File.ReadAllText(Path.Combine(native, "nf_ota", "nanoclr", "NfOta_Interop_NfOta_Interop_NativeOta_mshl.cpp")),
            File.ReadAllText(Path.Combine(_temp, "nanoclr", "NfOta_Interop_NfOta_Interop_NativeOta_mshl.cpp")));
        Assert.Equal(File.ReadAllText(Path.Combine(Paths.RepoRoot, "firmware", "NfOta.Interop.Host", "NativeOta.Host.g.cs")),
            File.ReadAllText(Path.Combine(_temp, "NativeOta.Host.g.cs")));
    }

    [Fact]
    public void ChecksumPrintsTheValueTheHeaderCarries()
    {
        var (exit, output, _) = Run("checksum", InteropAssembly);
        Assert.Equal(0, exit);
        var checksum = output.Trim();
        Assert.Matches("^0x[0-9A-F]{8}$", checksum);
        var header = File.ReadAllText(Path.Combine(Paths.RepoRoot, "native", "nf_ota", "include", "nf_ota_interop.h"));
        Assert.Contains($"#define NF_OTA_NATIVE_CHECKSUM {checksum}u", header);
        var lookup = File.ReadAllText(Path.Combine(Paths.RepoRoot, "native", "nf_ota", "nanoclr", "NfOta_Interop.cpp"));
        Assert.Contains($"    {checksum},\n", lookup);
    }

    [Fact]
    public void ChecksumOfMscorlibWithItsBuildsExclusionsIsTheOneInItsPe()
    {
        var list = Paths.Oracle("mscorlib-1.17.11-excluded-classes.txt");
        var fromList = Run("checksum", Paths.Oracle("mscorlib.dll"), "--exclude-file", list);
        Assert.Equal(0, fromList.Exit);
        Assert.Equal("0x1549C856", fromList.Out.Trim());

        // The same list as a library author has it: NFMDP_PE_ExcludeClassByName items of the .nfproj.
        var nfproj = Path.Combine(_temp, "CoreLibrary.nfproj");
        var items = string.Concat(Paths.ExcludedMscorlibClasses().Select(c => $"<NFMDP_PE_ExcludeClassByName Include=\"{c}\"><InProject>false</InProject></NFMDP_PE_ExcludeClassByName>"));
        File.WriteAllText(nfproj, $"<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><ItemGroup>{items}</ItemGroup></Project>");
        var fromProject = Run("checksum", Paths.Oracle("mscorlib.dll"), "--nfproj", nfproj);
        Assert.Equal("0x1549C856", fromProject.Out.Trim());

        // No list at all: [ExcludeType] and MetadataProcessor's defaults are read from the assembly.
        var without = Run("checksum", Paths.Oracle("mscorlib.dll"));
        Assert.Equal(0, without.Exit);
        Assert.Equal("0x1549C856", without.Out.Trim());
    }

    [Fact]
    public void StubsWritesMetadataProcessorsFileSet()
    {
        var (exit, output, _) = Run("stubs", Paths.Fixture("StubsGenerationTestNFApp.dll"), "--out", _temp, "--project", "StubsGenerationTestNFApp");
        Assert.Equal(0, exit);
        Assert.Equal(12, Directory.GetFiles(_temp).Length); // header, lookup, cmake, and per class (3) mshl, .h, .cpp
        Assert.Contains("native checksum 0x", output);
    }

    [Fact]
    public void AMissingAssemblyIsOneClearLine()
    {
        var (exit, output, error) = Run("checksum", Path.Combine(_temp, "nope.dll"));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Matches(new Regex(@"^nfgen: error: assembly not found: .*nope\.dll \[assembly-not-found\]\s*$"), error);
    }

    [Fact]
    public void ABadConfigIsRefusedWithItsProblem()
    {
        var config = Path.Combine(_temp, "nfgen.json");
        File.WriteAllText(config, """{ "assembly": "x.dll", "outputz": {} }""");
        var (exit, _, error) = Run("--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("outputz", error);
        Assert.Contains("[bad-config]", error);

        var (missingExit, _, missing) = Run("--config", Path.Combine(_temp, "absent.json"));
        Assert.Equal(2, missingExit);
        Assert.Contains("no config at", missing);
    }

    [Fact]
    public void SignaturesTheCBindingCannotCarryAreRefusedByName()
    {
        var config = WriteConfig(Paths.Fixture("OddInteropNFApp.dll"));
        var (exit, _, error) = Run("--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("[unsupported-signature]", error);
        Assert.True(error.Contains("TakesObjects.Send: parameter 'payload' is System.Object") || error.Contains("Overloaded.Read is overloaded"), error);
    }

    [Fact]
    public void WithoutAnAssemblyNativeVersionTheLookupFileIsRefusedWithTheFix()
    {
        var (exit, _, error) = Run("stubs", Paths.Fixture("OddInteropNFApp.dll"), "--out", _temp);
        Assert.Equal(2, exit);
        Assert.Contains("AssemblyNativeVersion", error);
        Assert.Contains("[missing-native-version]", error);
    }

    private string WriteConfig(string? assembly = null)
    {
        var config = Path.Combine(_temp, "nfgen.json");
        File.WriteAllText(config, $$"""
            {
              "assembly": "{{(assembly ?? InteropAssembly).Replace("\\", "/")}}",
              "cPrefix": "nf_ota",
              "hostLibrary": "nfota_native",
              "outputs": {
                "nanoclr": "nanoclr",
                "cHeader": "include/nf_ota_interop.h",
                "hostExports": "nf_ota_host_exports.g.c",
                "hostBinding": "NativeOta.Host.g.cs"
              }
            }
            """);
        return config;
    }

    [Fact]
    public void StubsForALibraryDerivingFromMscorlibNameTheAssemblyToPass()
    {
        // The fixture folder has no mscorlib.dll: nfgen says which assembly it needs and writes nothing.
        var outDir = Path.Combine(_temp, "base");
        var (exit, _, error) = Run("stubs", Paths.Fixture("NfgBaseNFLib.dll"), "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains("derives from System.Exception in mscorlib 1.17.11.0", error);
        Assert.Contains("pass --reference path/to/mscorlib.dll", error);
        Assert.EndsWith("[reference-missing]", error.Trim());
        Assert.False(Directory.Exists(outDir));

        var (ok, output, _) = Run("stubs", Paths.Fixture("NfgBaseNFLib.dll"), "--out", outDir, "--reference", Paths.Oracle("mscorlib.dll"));
        Assert.Equal(0, ok);
        Assert.Contains("nfgen: native checksum 0x1AB8C27C", output);
        Assert.Contains("static const int FIELD__ErrorCode = 5;", File.ReadAllText(Path.Combine(outDir, "NfgBaseNFLib.h")));
    }

    [Fact]
    public void StubsForALibraryBuiltWithTheLatestLanguageVersion()
    {
        var (exit, output, error) = Run("stubs", Paths.Fixture("NfgLangLatestNFApp.dll"), "--out", _temp, "--reference", Paths.Oracle("mscorlib.dll"));
        Assert.True(exit == 0, error);
        Assert.Contains("nfgen: native checksum 0x81DE6308", output);
        Assert.DoesNotContain("Nullable", File.ReadAllText(Path.Combine(_temp, "NfgLangLatestNFApp.h")));
    }

    [Fact]
    public void StubsForACoreLibraryAreWhatMetadataProcessorWritesWithCompileTrue()
    {
        // MetadataProcessor v3.0.100 run with `-compile X.pe true` (a library whose .nfproj sets
        // NF_IsCoreLibrary, as nanoFramework.Runtime.InFieldUpdate does) on this fixture wrote an
        // assembly header and a lookup file with these SHA-256 digests (2026-12-07): the header has
        // the WARNING banner and includes corlib_native.h, the lookup file has no banner.
        var coreOut = Path.Combine(_temp, "core");
        var (exit, _, error) = Run("stubs", InteropAssembly, "--out", coreOut, "--core-library", "--reference", Paths.Oracle("mscorlib.dll"));
        Assert.True(exit == 0, error);
        Assert.Equal("5ca90746758883616f1045000173daae58d50a9f8be5bae063ee9cdd38e6d5f1", Sha256Of(Path.Combine(coreOut, "NfOta_Interop.h")));
        Assert.Equal("4c113d49800d84480431eaa5d486a4e18ebaec885c356e32e3a20fc2f4915d63", Sha256Of(Path.Combine(coreOut, "NfOta_Interop.cpp")));

        // NF_IsCoreLibrary in the --nfproj turns it on too; without either the header is the usual one.
        var nfproj = Path.Combine(_temp, "Core.nfproj");
        File.WriteAllText(nfproj, "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><PropertyGroup><NF_IsCoreLibrary>True</NF_IsCoreLibrary></PropertyGroup></Project>");
        var viaProject = Path.Combine(_temp, "viaProject");
        Assert.Equal(0, Run("stubs", InteropAssembly, "--out", viaProject, "--nfproj", nfproj, "--reference", Paths.Oracle("mscorlib.dll")).Exit);
        Assert.Equal(File.ReadAllText(Path.Combine(coreOut, "NfOta_Interop.h")), File.ReadAllText(Path.Combine(viaProject, "NfOta_Interop.h")));
        var plain = Path.Combine(_temp, "plain");
        Assert.Equal(0, Run("stubs", InteropAssembly, "--out", plain, "--reference", Paths.Oracle("mscorlib.dll")).Exit);
        Assert.DoesNotContain("corlib_native.h", File.ReadAllText(Path.Combine(plain, "NfOta_Interop.h")));
        Assert.StartsWith("//----", File.ReadAllText(Path.Combine(plain, "NfOta_Interop.cpp")));
    }

    [Fact]
    public void StubsCanKeepTheirCMakeModuleBesideThemWithTheCHeaderFolder()
    {
        // As native/nf_ota/nanoclr/ifu: the module on CMAKE_MODULE_PATH next to the stubs, the C API two folders up.
        var (exit, _, error) = Run("stubs", InteropAssembly, "--out", _temp, "--cmake-beside", "--cmake-include", "../../include", "--reference", Paths.Oracle("mscorlib.dll"));
        Assert.True(exit == 0, error);
        var module = File.ReadAllText(Path.Combine(_temp, "FindINTEROP-NfOta.Interop.cmake"));
        Assert.Contains("set(BASE_PATH_FOR_THIS_MODULE ${CMAKE_CURRENT_LIST_DIR})\n", module);
        Assert.Contains("list(APPEND NfOta.Interop_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE}/../../include)\n", module);
        Assert.DoesNotContain("InteropAssemblies", module.Split("# source files")[0]);
    }

    [Fact]
    public void StubsWithoutInteropCodeAreWhatMetadataProcessorWritesForNfInterpretersOwnLibraries()
    {
        // MetadataProcessor v3.0.100 `-generateskeleton stubs NfOta.Interop NfOta.Interop true` (without
        // interop code) on this fixture: the class file's SHA-256, and no _mshl.cpp or class header.
        var (exit, _, error) = Run("stubs", InteropAssembly, "--out", _temp, "--without-interop-code", "--reference", Paths.Oracle("mscorlib.dll"));
        Assert.True(exit == 0, error);
        Assert.Equal("70da1c2aa58a28993e03334f7babb6be1bed72a192481a9a065d6f68d187e2f2", Sha256Of(Path.Combine(_temp, "NfOta_Interop_NfOta_Interop_NativeOta.cpp")));
        Assert.Equal(
            ["FindINTEROP-NfOta.Interop.cmake", "NfOta_Interop.cpp", "NfOta_Interop.h", "NfOta_Interop_NfOta_Interop_NativeOta.cpp"],
            Directory.GetFiles(_temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var module = File.ReadAllText(Path.Combine(_temp, "FindINTEROP-NfOta.Interop.cmake"));
        Assert.Contains("set(NfOta.Interop_SRCS\n    NfOta_Interop.cpp\n    NfOta_Interop_NfOta_Interop_NativeOta.cpp\n)\n", module);
    }

    private static string Sha256Of(string path) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    [Fact]
    public void StubsWithAnNfprojTakeItsExclusionsAndItsReferences()
    {
        // An .nfproj with the fixture's exclusions and a HintPath to mscorlib, as a library author has it.
        var nfproj = Path.Combine(_temp, "Lib.nfproj");
        var exclusions = string.Concat(File.ReadAllLines(Paths.Fixture("NfgExclusionNFApp.nfproj"))
            .Where(l => l.Contains("NFMDP_PE_ExcludeClassByName")));
        File.WriteAllText(nfproj, $"<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><ItemGroup>{exclusions}" +
            $"<Reference Include=\"mscorlib\"><HintPath>{Path.GetRelativePath(_temp, Paths.Oracle("mscorlib.dll"))}</HintPath></Reference></ItemGroup></Project>");
        var outDir = Path.Combine(_temp, "stubs");
        var (exit, output, error) = Run("stubs", Paths.Fixture("NfgExclusionNFApp.dll"), "--out", outDir, "--nfproj", nfproj);
        Assert.True(exit == 0, error);
        Assert.Contains("nfgen: native checksum 0x5DD75E4A", output);
        Assert.Equal(14, Regex.Matches(File.ReadAllText(Path.Combine(outDir, "NfgExclusionNFApp.cpp")), @"^    (NULL|Library_\w+::\w+),$", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void TheCMakeModuleFindsEverySourceWhereNfInterpreterKeepsInteropStubs()
    {
        // nf-interpreter: find_package(INTEROP-<Assembly>) on CMAKE_MODULE_PATH, stubs in InteropAssemblies/<Assembly>.
        var tree = Path.Combine(_temp, "nf-interpreter");
        var stubs = Path.Combine(tree, "InteropAssemblies", "NfgBaseNFLib");
        Assert.Equal(0, Run("stubs", Paths.Fixture("NfgBaseNFLib.dll"), "--out", stubs, "--reference", Paths.Oracle("mscorlib.dll")).Exit);
        var modules = Path.Combine(tree, "CMake", "Modules");
        Directory.CreateDirectory(modules);
        File.Move(Path.Combine(stubs, "FindINTEROP-NfgBaseNFLib.cmake"), Path.Combine(modules, "FindINTEROP-NfgBaseNFLib.cmake"));
        File.WriteAllText(Path.Combine(tree, "CMakeLists.txt"),
            "cmake_minimum_required(VERSION 3.16)\nproject(check NONE)\nlist(APPEND CMAKE_MODULE_PATH ${CMAKE_SOURCE_DIR}/CMake/Modules)\n" +
            "find_package(INTEROP-NfgBaseNFLib REQUIRED QUIET)\nmessage(STATUS \"SOURCES=${NfgBaseNFLib_SOURCES}\")\n");

        var cmake = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cmake", ["-S", tree, "-B", Path.Combine(_temp, "build")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = cmake.StandardOutput.ReadToEnd();
        var error = cmake.StandardError.ReadToEnd();
        cmake.WaitForExit();
        Assert.True(cmake.ExitCode == 0, error);
        var sources = Regex.Match(output, "SOURCES=(.*)").Groups[1].Value.Trim().Split(';');
        Assert.Equal(11, sources.Length); // the lookup file, then _mshl.cpp and .cpp for each of the 5 classes with native methods
        Assert.All(sources, source =>
        {
            Assert.Equal(stubs, Path.GetDirectoryName(source));
            Assert.True(File.Exists(source), source);
        });
    }

    [Fact]
    public void StubsForMscorlibWithoutAListAreNfInterpretersCorlibNative()
    {
        var (exit, output, error) = Run("stubs", Paths.Oracle("mscorlib.dll"), "--out", _temp, "--name", "CorLib", "--project", "corlib_native");
        Assert.True(exit == 0, error);
        Assert.Contains("nfgen: native checksum 0x1549C856", output);
        var lookup = File.ReadAllText(Path.Combine(_temp, "corlib_native.cpp"));
        var names = Regex.Matches(lookup, @"^    (NULL|Library_\w+::(\w+)),$", RegexOptions.Multiline)
            .Select(m => m.Groups[2].Success ? m.Groups[2].Value : "NULL").ToList();
        Assert.Equal(803, names.Count);
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join('\n', names)));
        Assert.Equal("cb1767c30deb4f4aed71c38ecb962913593a54ba8fb92f58a849322b942ad57a", Convert.ToHexStringLower(digest));
        var header = File.ReadAllText(Path.Combine(_temp, "corlib_native.h"));
        Assert.DoesNotContain("typedef enum __nfpack BindingFlags", header); // an [ExcludeType] enum Minimize keeps: no typedef, as MDP
        Assert.Contains("static const int FIELD___message = 1;", header);
    }
}
