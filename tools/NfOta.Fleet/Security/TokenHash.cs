using System.Security.Cryptography;
using System.Text;

namespace NfOta.Fleet.Security;

/// <summary>
/// Tokens are kept only as SHA-256 (hex): a leaked database does not hand out device tokens.
/// Tokens are random and long, so an unsalted fast hash is enough (no dictionary to try).
/// Comparison takes the same time whichever byte differs.
/// </summary>
public static class TokenHash
{
    public const int MinLength = 16;
    public const int MaxLength = 256;

    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool Matches(string presented, string? storedHash)
    {
        if (storedHash is null)
        {
            return false;
        }
        var a = Encoding.ASCII.GetBytes(Of(presented));
        var b = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>Null when the token is acceptable to store, else why not.</summary>
    public static string? Problem(string? token) =>
        token is null ? "token missing"
        : token.Length < MinLength ? $"token shorter than {MinLength} characters"
        : token.Length > MaxLength ? $"token longer than {MaxLength} characters"
        : token.Any(c => c <= ' ' || c > '~') ? "token must be printable ASCII without spaces"
        : null;

    /// <summary>A new random token (32 bytes, base64url) for operators who do not bring their own.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
