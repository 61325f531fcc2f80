namespace NfOta.Cli.Cli;

/// <summary>A word for a printed command line that a POSIX shell reads back as it is (a path with spaces, quotes, $...).</summary>
public static class ShellWord
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '+' or '=' or ',' or '@')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
