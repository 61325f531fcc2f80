using Spectre.Console;

namespace NfOta.Cli.Demo;

/// <summary>
/// The demo's closing table: a bordered table where the terminal is wide enough, else (under
/// <see cref="WideFrom"/> columns, e.g. the usual 80) one line of short fields per step with its
/// outcome wrapped at words underneath, so no word is ever split across cells.
/// </summary>
public static class DemoTable
{
    /// <summary>The narrowest terminal the bordered table reads well in (its outcomes need ~45 columns).</summary>
    public const int WideFrom = 120;

    private static readonly string[] Headers = ["Step", "Runs", "Slot", "State", "Image bytes", "Flash time*"];
    private static readonly string[] NarrowHeaders = ["Step", "Runs", "Slot", "State", "Bytes", "Flash*"];

    public static void Write(IAnsiConsole console, TextWriter output, string title, IReadOnlyList<DemoRow> rows)
    {
        if (console.Profile.Width >= WideFrom)
        {
            var table = new Table().Title(Markup.Escape(title)).AddColumns([.. Headers, "Outcome"]);
            foreach (var row in rows) table.AddRow([.. Fields(row).Select(Markup.Escape), Markup.Escape(row.Outcome)]);
            console.Write(table);
            return;
        }
        WriteNarrow(output, title, rows, Math.Max(console.Profile.Width, 40));
    }

    private static string[] Fields(DemoRow row) =>
    [
        row.Step, row.Version, row.Slot, row.State,
        row.Bytes == 0 ? "" : row.Bytes.ToString("N0"),
        row.FlashTime == TimeSpan.Zero ? "" : $"{row.FlashTime.TotalSeconds:F2} s",
    ];

    private static void WriteNarrow(TextWriter output, string title, IReadOnlyList<DemoRow> rows, int width)
    {
        var cells = rows.Select(Fields).ToList();
        var widths = NarrowHeaders.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] fields) => string.Join("  ", fields.Select((f, i) => i is 4 or 5 ? f.PadLeft(widths[i]) : f.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(title);
        output.WriteLine(Line(NarrowHeaders));
        for (var i = 0; i < rows.Count; i++)
        {
            output.WriteLine(Line(cells[i]));
            foreach (var line in Wrap(rows[i].Outcome, width - 4)) output.WriteLine("    " + line);
        }
    }

    /// <summary>Lines of at most <paramref name="width"/> characters, broken at spaces (a longer word gets a line of its own).</summary>
    internal static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }
}
