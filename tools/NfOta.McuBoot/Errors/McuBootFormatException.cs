namespace NfOta.McuBoot.Errors;

/// <summary>Thrown when bytes are not a valid MCUboot image, or one that fails its checks.</summary>
public sealed class McuBootFormatException : Exception
{
    public McuBootFormatException(McuBootError error, string message) : base(message) => Error = error;

    public McuBootFormatException(McuBootError error, string message, Exception inner) : base(message, inner) => Error = error;

    public McuBootError Error { get; }

    /// <summary>The stable code (see <see cref="McuBootErrorCodes.ToCode"/>).</summary>
    public string Code => Error.ToCode();
}
