using NfOta.Cli.Demo;
using Spectre.Console;

namespace NfOta.Cli.Tests;

/// <summary>The demo's closing table reads well at 80 columns: no word split across cells, no line past the width.</summary>
public sealed class DemoTableTests
{
    private static readonly DemoRow[] Rows =
    [
        new("provisioned", "1.0.0", "ota_0", "VALID", 0, TimeSpan.Zero, "first boot: deploy_0: DemoApp 1.0.0 started (3 assemblies bound)"),
        new("firmware + app 2.0.0, reboot", "2.0.0", "ota_0", "PENDING_VERIFY", 637_208, TimeSpan.FromSeconds(3.99),
            "new firmware and app on trial; deploy_0: DemoApp 2.0.0 started (4 assemblies bound)"),
        new("health checks", "2.0.0", "ota_0", "VALID", 0, TimeSpan.FromSeconds(0.17),
            "mqtt-broker failed: rolled back to ota_0 with its app; deploy_0: DemoApp 2.0.0 started (4 assemblies bound)"),
    ];

    private static string Render(int width)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        DemoTable.Write(console, output, "nfota demo on an emulated ESP32 (9.4 s, 9 HTTPS requests)", Rows);
        return output.ToString();
    }

    [Fact]
    public void ANarrowTerminalGetsOneLinePerStepWithItsOutcomeWrappedAtWords()
    {
        const int width = 80;
        var lines = Render(width).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.StartsWith("firmware + app 2.0.0, reboot", StringComparison.Ordinal) && l.Contains("PENDING_VERIFY") && l.Contains("637,208") && l.Contains("3.99 s"));
        // Every word of every outcome is whole on some line.
        var text = string.Join(' ', lines);
        Assert.All(Rows.SelectMany(r => r.Outcome.Split(' ')), word => Assert.Contains(word, text));
        Assert.DoesNotContain(lines, l => l.Contains('│'));
        Assert.Equal(Rows.Length + 2 + 5, lines.Count(l => l.Length > 0)); // title, header, a line per step, wrapped outcomes (2 + 1 + 2)
    }

    [Fact]
    public void AWideTerminalGetsTheBorderedTable()
    {
        var text = Render(140);
        Assert.Contains("│ Step", text);
        Assert.Contains("PENDING_VERIFY", text);
    }

    [Fact]
    public void WrapBreaksAtSpacesOnly()
    {
        Assert.Equal(["mqtt-broker failed:", "rolled back to ota_0", "with its app"], DemoTable.Wrap("mqtt-broker failed: rolled back to ota_0 with its app", 20));
        Assert.Equal(["a", "averyveryverylongword", "b"], DemoTable.Wrap("a averyveryverylongword b", 10));
    }
}
