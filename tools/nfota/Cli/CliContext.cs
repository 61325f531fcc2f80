namespace NfOta.Cli.Cli;

/// <summary>Where a command writes: the console in the real tool, string writers in tests.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public static CliContext Console { get; } = new(System.Console.Out, System.Console.Error);
}
