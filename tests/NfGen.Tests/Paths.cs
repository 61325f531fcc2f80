namespace NfGen.Tests;

internal static class Paths
{
    public static string Oracle(string name) => Path.Combine(AppContext.BaseDirectory, "oracle", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>The repository root (the folder with nf.proj), found from the test's output folder.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nf.proj"))) return dir.FullName;
            }
            throw new InvalidOperationException("nf.proj not found above " + AppContext.BaseDirectory);
        }
    }

    public static string[] ExcludedMscorlibClasses() =>
        File.ReadAllLines(Oracle("mscorlib-1.17.11-excluded-classes.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();
}
