using System.Xml.Linq;

namespace NfGen.Generation;

/// <summary>What nfgen reads from an .nfproj: the HintPath of each Reference item (relative to the project), and NF_IsCoreLibrary.</summary>
internal static class ProjectReferences
{
    public static IEnumerable<string> HintPaths(string nfproj)
    {
        var project = Load(nfproj);
        var folder = Path.GetDirectoryName(Path.GetFullPath(nfproj)) ?? ".";
        return project.Descendants()
            .Where(e => e.Name.LocalName == "HintPath" && e.Parent?.Name.LocalName == "Reference")
            .Select(e => e.Value.Trim().Replace('\\', Path.DirectorySeparatorChar))
            .Where(p => p.Length > 0)
            .Select(p => Path.GetFullPath(Path.Combine(folder, p)))
            .ToList();
    }

    /// <summary>Whether the project sets NF_IsCoreLibrary to true (nanoFramework's build then runs MetadataProcessor with -compile X.pe true).</summary>
    public static bool IsCoreLibrary(string nfproj) =>
        Load(nfproj).Descendants()
            .Where(e => e.Name.LocalName == "NF_IsCoreLibrary")
            .Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    private static XDocument Load(string nfproj)
    {
        try
        {
            return XDocument.Load(nfproj);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            throw new NfGenException(NfGenError.BadConfig, $"cannot read {nfproj}: {e.Message}");
        }
    }
}
