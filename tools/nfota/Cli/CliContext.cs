using Spectre.Console;

namespace NfOta.Cli.Cli;

/// <summary>Where a command writes: the console in the real tool, string writers in tests.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive = false)
{
    private IAnsiConsole? _console;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when writing to a real terminal: colours and live progress are allowed.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole();

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!Interactive)
        {
            console.Profile.Width = 140; // logs and pipes have no width; 80 columns would fold every table
        }
        return console;
    }

    public static CliContext Terminal { get; } = new(System.Console.Out, System.Console.Error,
        interactive: !System.Console.IsOutputRedirected);
}
