using System.Globalization;

namespace NfOta.Cli.Cli;

/// <summary>Parsing of the values users type on the command line.</summary>
public static class Values
{
    /// <summary>A flash address or number: decimal (<c>65536</c>) or hex (<c>0x10000</c>).</summary>
    public static uint ParseUInt32(string text, string what)
    {
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || s.Length == 0)
        {
            throw new CliException("invalid-argument", $"{what} '{text}' is not a number; write it in decimal (65536) or hex (0x10000)");
        }
        return value;
    }

    /// <summary>The file's bytes, at most <paramref name="maxBytes"/> (<see cref="NfOta.Packaging.InputLimit"/>): past it, input-too-large.</summary>
    public static byte[] ReadFile(string path, string what, long maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException("invalid-argument", $"the {what} path is empty");
        }
        try
        {
            return NfOta.Packaging.InputFile.ReadBounded(path, what, maxBytes);
        }
        catch (FileNotFoundException)
        {
            throw new CliException("file-not-found", $"{what} '{path}' does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliException("file-not-found", $"{what} '{path}' does not exist (no such directory)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException("file-not-readable", $"{what} '{path}' cannot be read (permission denied, or it is a directory)");
        }
        catch (IOException e)
        {
            throw new CliException("file-not-readable", $"{what} '{path}' cannot be read: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new CliException("invalid-argument", $"{what} '{path}' is not a usable path: {e.Message}");
        }
    }

    public static string ReadText(string path, string what, long maxBytes) => System.Text.Encoding.UTF8.GetString(ReadFile(path, what, maxBytes));
}
