using System.Xml.Linq;

namespace NfGen.Generation;

/// <summary>
/// The classes a nanoFramework build leaves out of the .pe (MetadataProcessor's
/// ExcludeClassByName): they do not count in the native checksum. They are a build input, not
/// part of the assembly, so they come from the command line, a list file or the .nfproj.
/// </summary>
internal static class ExcludedClasses
{
    /// <summary>One full type name per line; blank lines and lines starting with # are ignored.</summary>
    public static IEnumerable<string> FromListFile(string path) =>
        Read(path).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>The Include of every NFMDP_PE_ExcludeClassByName item in an .nfproj.</summary>
    public static IEnumerable<string> FromNfproj(string path)
    {
        XDocument project;
        try
        {
            project = XDocument.Parse(Read(path));
        }
        catch (System.Xml.XmlException e)
        {
            throw new NfGenException(NfGenError.BadConfig, $"{path} is not a project file: {e.Message}");
        }
        return project.Descendants()
            .Where(e => e.Name.LocalName == "NFMDP_PE_ExcludeClassByName")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(s => s.Trim())
            .Where(s => s.Length > 0);
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace("\r\n", "\n");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NfGenException(NfGenError.BadConfig, $"no such file: {path}");
        }
    }
}
