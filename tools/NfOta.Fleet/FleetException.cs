namespace NfOta.Fleet;

/// <summary>
/// A refusal with its HTTP status and a stable code; the server answers it as
/// {"errorCode": ..., "message": ...} (the fields of hawkBit's error body) and nothing is written.
/// </summary>
public sealed class FleetException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static FleetException NotFound(string code, string message) => new(404, code, message);

    public static FleetException Conflict(string code, string message) => new(409, code, message);

    public static FleetException BadRequest(string code, string message) => new(400, code, message);
}
