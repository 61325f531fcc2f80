namespace NfOta.Cli.Cli;

/// <summary>
/// How the user runs nfota, so that a command it prints can be pasted as it is: from a clone's build
/// (<c>dotnet run --project tools/nfota</c>, as the README says) it is <c>dotnet run --project
/// PATH --</c>, with the path relative to the current folder when that is inside the clone;
/// installed as a .NET tool, or anywhere else, it is <c>nfota</c>.
/// </summary>
public static class Invocation
{
    public static string Prefix() => Prefix(AppContext.BaseDirectory, Environment.CurrentDirectory);

    internal static string Prefix(string baseDirectory, string currentDirectory)
    {
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "tools", "nfota", "nfota.csproj");
            if (!File.Exists(project)) continue;
            var folder = Path.GetDirectoryName(project)!;
            var relative = Path.GetRelativePath(currentDirectory, folder);
            var inside = !Path.IsPathRooted(relative) && !relative.StartsWith("..", StringComparison.Ordinal);
            return $"dotnet run --project {ShellWord.Quote(inside ? relative : folder)} --";
        }
        return "nfota";
    }
}
