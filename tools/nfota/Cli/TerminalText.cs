using System.Globalization;
using System.Text;

namespace NfOta.Cli.Cli;

/// <summary>
/// Makes text from requests, files and arguments safe to print: control characters (C0, DEL, C1)
/// and bidirectional overrides become visible escapes, so a file name or a request path cannot
/// move the cursor, recolour the terminal, retitle the window or fake a second log line.
/// </summary>
public static class TerminalText
{
    public static string Escape(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c)) escaped.Append(c);
            else if (c <= 0xFF) escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return escaped.ToString();
    }

    private static bool IsUnsafe(char c) =>
        c < 0x20 || c is >= '\x7f' and <= '\x9f'
        || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069'; // bidi embeddings, overrides, isolates
}
