namespace NfOta.NanoFramework.Tests;

internal static class RepoPaths
{
    /// <summary>The repository root (the folder with nf.proj), found from the test's output folder.</summary>
    public static string Root
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
}
