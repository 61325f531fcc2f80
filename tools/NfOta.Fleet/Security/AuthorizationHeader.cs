namespace NfOta.Fleet.Security;

public enum TokenScheme
{
    None,
    Target,
    Gateway,
    Bearer,
}

/// <summary>Splits "TargetToken abc" / "GatewayToken abc" (hawkBit's DDI schemes) and "Bearer abc" (admin API).</summary>
public readonly record struct AuthorizationHeader(TokenScheme Scheme, string Token)
{
    public static AuthorizationHeader Parse(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return default;
        }
        return TryScheme(header, "TargetToken ", TokenScheme.Target)
            ?? TryScheme(header, "GatewayToken ", TokenScheme.Gateway)
            ?? TryScheme(header, "Bearer ", TokenScheme.Bearer)
            ?? default;
    }

    private static AuthorizationHeader? TryScheme(string header, string prefix, TokenScheme scheme) =>
        header.StartsWith(prefix, StringComparison.Ordinal) && header.Length > prefix.Length
            ? new AuthorizationHeader(scheme, header[prefix.Length..].Trim())
            : null;
}
