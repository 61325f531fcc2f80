namespace NfOta.Cli.Cli;

/// <summary>A problem with what the user asked for, reported as one line with a stable code.</summary>
public sealed class CliException(string code, string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and the answer is "no": a signature or package did not verify.</summary>
    public const int Rejected = 1;

    /// <summary>Bad arguments or unreadable input; nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>Something outside the user's input failed (I/O, network).</summary>
    public const int Failure = 3;
}
