namespace NfOta.Cli.Tests;

/// <summary>The clone the tests run in: the folder above the test binaries that holds nf.proj.</summary>
internal static class RepoPaths
{
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
