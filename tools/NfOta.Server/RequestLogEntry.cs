namespace NfOta.Server;

/// <summary>One request as the server saw it: what was asked (with its Range) and what was sent.</summary>
public sealed record RequestLogEntry(string Method, string Path, string? Range, int Status, string? ContentRange, long BodyBytes, bool Aborted)
{
    public override string ToString() =>
        $"{Method} {Path}{(Range is null ? "" : $" [{Range}]")} -> {Status}{(ContentRange is null ? "" : $" {ContentRange}")}, {BodyBytes} bytes{(Aborted ? " (connection lost)" : "")}";
}
