namespace NfGen;

/// <summary>Why nfgen refused: each has a stable code for scripts and a message a user can act on.</summary>
internal enum NfGenError
{
    AssemblyNotFound,
    AssemblyNotReadable,
    NotAnAssembly,
    BadNativeVersion,
    MissingNativeVersion,
    NoNativeMethods,
    UnsupportedSignature,
    BadConfig,
    OutOfDate,
    ReferenceMissing,
}

internal sealed class NfGenException(NfGenError error, string message) : Exception(message)
{
    public NfGenError Error { get; } = error;

    /// <summary>The kebab-case code printed after the message, e.g. "assembly-not-found".</summary>
    public string Code => string.Concat(Error.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
