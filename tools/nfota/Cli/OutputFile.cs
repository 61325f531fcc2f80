namespace NfOta.Cli.Cli;

/// <summary>Checks an --out file before any work: named, not a folder, and not one of the command's inputs.</summary>
public static class OutputFile
{
    /// <summary>Returns <paramref name="output"/>, or throws when writing it would fail or destroy an input.</summary>
    public static string Checked(string output, params string[] inputs)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new CliException("invalid-argument", "--out is empty; name the file to write");
        }
        if (Directory.Exists(output))
        {
            throw new CliException("invalid-argument", $"--out '{output}' is a folder; name the file to write");
        }
        foreach (var input in inputs)
        {
            if (SameFile(input, output))
            {
                throw new CliException("same-file", $"--out '{output}' is the input file '{input}'; write to another file (the input would be overwritten)");
            }
        }
        return output;
    }

    /// <summary>The same file by full path once links are followed (hard links are not detected).</summary>
    private static bool SameFile(string a, string b)
    {
        try
        {
            return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return false; // reading the input or writing the output will report the problem
        }
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        var realDirectory = directory is null ? null : new DirectoryInfo(directory).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory;
        var file = Path.Combine(realDirectory ?? "", Path.GetFileName(full));
        return new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
    }
}
