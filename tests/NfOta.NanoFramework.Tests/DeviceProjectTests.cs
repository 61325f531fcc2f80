using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NfOta.NanoFramework.Tests;

/// <summary>
/// What the device projects (.nfproj, built only with the nanoFramework extension) must say for
/// their tests to run and their assemblies to carry a version; nothing here can build them.
/// </summary>
public sealed class DeviceProjectTests
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";
    private static readonly string DeviceTests = Path.Combine(RepoPaths.Root, "firmware", "tests", "NfOta.DeviceTests");

    private static XDocument Project(string path) => XDocument.Load(path);

    private static string? Property(XDocument project, string name) =>
        project.Descendants(MsBuild + name).Select(e => e.Value).SingleOrDefault();

    public static TheoryData<string> DeviceProjects() =>
        new(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "firmware"), "*.nfproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p)).Order(StringComparer.Ordinal));

    [Fact]
    public void TheDeviceTestAssemblyIsNamedWhatTheTestLauncherLoads()
    {
        // nanoFramework.TestFramework's launcher loads NFUnitTest; under any other name nanoCLR prints Ready. and Done.
        var project = Project(Path.Combine(DeviceTests, "NfOta.DeviceTests.nfproj"));
        Assert.Equal("NFUnitTest", Property(project, "AssemblyName"));
    }

    [Fact]
    public void TheDeviceTestsRunOnRealHardware()
    {
        var project = Project(Path.Combine(DeviceTests, "NfOta.DeviceTests.nfproj"));
        Assert.Equal(@"$(MSBuildProjectDirectory)\nano.runsettings", Property(project, "RunSettingsFilePath"));

        // The virtual nanoCLR lacks NfOta.Interop's natives, so the tests need a board with nf_ota.
        var settings = XDocument.Load(Path.Combine(DeviceTests, "nano.runsettings"));
        var isRealHardware = settings.Root!.Element("nanoFrameworkAdapter")?.Element("IsRealHardware")?.Value;
        Assert.Equal("true", isRealHardware?.Trim().ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void EveryDeviceAssemblyHasVersionAndTitle(string nfproj)
    {
        var path = Path.Combine(RepoPaths.Root, nfproj);
        var folder = Path.GetDirectoryName(path)!;
        var compiled = CompiledFiles(Project(path), folder).Select(File.ReadAllText).ToList();
        Assert.True(compiled.Count > 0, $"{nfproj} compiles no file that exists");
        Assert.Contains(compiled, text => AssemblyAttribute("AssemblyVersion").IsMatch(text));
        Assert.Contains(compiled, text => AssemblyAttribute("AssemblyTitle").IsMatch(text));
    }

    [Fact]
    public void TheDeviceTestsReadmeListsEveryPackageTheDeviceProjectsUse()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "firmware", "tests", "README.md"));
        var packages = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "firmware"), "packages.config", SearchOption.AllDirectories)
            .SelectMany(f => XDocument.Load(f).Descendants("package"))
            .Select(p => (Id: p.Attribute("id")!.Value, Version: p.Attribute("version")!.Value))
            .Where(p => p.Id != "nanoFramework.CoreLibrary") // the table is about the libraries built against it
            .Distinct()
            .ToList();
        Assert.NotEmpty(packages);
        Assert.All(packages, p => Assert.Contains($"| {p.Id} | {p.Version} |", readme));
    }

    /// <summary>The files of the project's Compile items: a name, or "**\*.cs" less obj and bin.</summary>
    private static IEnumerable<string> CompiledFiles(XDocument project, string folder)
    {
        foreach (var include in project.Descendants(MsBuild + "Compile").Select(c => c.Attribute("Include")!.Value))
        {
            if (include.Contains('*'))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin")))
                {
                    yield return file;
                }
            }
            else
            {
                var file = Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar));
                if (File.Exists(file)) yield return file;
            }
        }
    }

    private static Regex AssemblyAttribute(string name) => new(@"^\[assembly:\s*" + name + @"\(""[^""]+""\)\]", RegexOptions.Multiline);
}
