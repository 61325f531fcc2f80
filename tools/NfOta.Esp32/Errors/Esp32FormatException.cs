namespace NfOta.Esp32.Errors;

/// <summary>Thrown when bytes or text do not form a valid ESP32 structure, or an argument cannot be used.</summary>
public sealed class Esp32FormatException : Exception
{
    public Esp32FormatException(FormatError error, string message) : base(message) => Error = error;

    public Esp32FormatException(FormatError error, string message, Exception inner) : base(message, inner) => Error = error;

    public FormatError Error { get; }

    /// <summary>The stable code (see <see cref="FormatErrorExtensions.ToCode"/>).</summary>
    public string Code => Error.ToCode();
}
