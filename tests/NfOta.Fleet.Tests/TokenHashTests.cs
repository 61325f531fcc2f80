using NfOta.Fleet.Security;

namespace NfOta.Fleet.Tests;

public class TokenHashTests
{
    [Fact]
    public void A_token_matches_its_hash_and_nothing_else()
    {
        var hash = TokenHash.Of("0123456789abcdefXYZ");
        Assert.Equal(64, hash.Length);
        Assert.True(TokenHash.Matches("0123456789abcdefXYZ", hash));
        Assert.False(TokenHash.Matches("0123456789abcdefXYz", hash));
        Assert.False(TokenHash.Matches("0123456789abcdefXYZ", null));
    }

    [Theory]
    [InlineData("TargetToken abc", TokenScheme.Target, "abc")]
    [InlineData("GatewayToken abc", TokenScheme.Gateway, "abc")]
    [InlineData("Bearer abc", TokenScheme.Bearer, "abc")]
    [InlineData("targettoken abc", TokenScheme.None, "")]
    [InlineData("TargetToken ", TokenScheme.None, "")]
    [InlineData("Basic abc", TokenScheme.None, "")]
    public void Authorization_schemes_are_hawkBit_s_exact_words(string header, TokenScheme scheme, string token)
    {
        var parsed = AuthorizationHeader.Parse(header);
        Assert.Equal(scheme, parsed.Scheme);
        Assert.Equal(token, parsed.Token ?? "");
    }
}
