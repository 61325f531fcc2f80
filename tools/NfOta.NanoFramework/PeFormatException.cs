namespace NfOta.NanoFramework;

/// <summary>A .pe or deployment image that nanoCLR would refuse; <see cref="Code"/> is stable for scripts.</summary>
public sealed class PeFormatException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
