using System.Xml.Linq;

namespace NfGen.Generation;

/// <summary>The assemblies an .nfproj references: the HintPath of each Reference item, relative to the project.</summary>
internal static class ProjectReferences
{
    public static IEnumerable<string> HintPaths(string nfproj)
    {
        XDocument project;
        try
        {
            project = XDocument.Load(nfproj);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            throw new NfGenException(NfGenError.BadConfig, $"cannot read {nfproj}: {e.Message}");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(nfproj)) ?? ".";
        return project.Descendants()
            .Where(e => e.Name.LocalName == "HintPath" && e.Parent?.Name.LocalName == "Reference")
            .Select(e => e.Value.Trim().Replace('\\', Path.DirectorySeparatorChar))
            .Where(p => p.Length > 0)
            .Select(p => Path.GetFullPath(Path.Combine(folder, p)))
            .ToList();
    }
}
