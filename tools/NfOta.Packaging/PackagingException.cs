namespace NfOta.Packaging;

/// <summary>A package or key problem, with a stable kebab-case code and a message a user can act on.</summary>
public sealed class PackagingException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
