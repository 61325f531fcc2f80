using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

public class SecureBootCommandTests
{
    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    public static TheoryData<Vectors.SecureBootCase> Cases() => Vectors.SecureBootTheory();

    [Theory]
    [MemberData(nameof(Cases))]
    public void DigestPrintsTheEfuseValue(Vectors.SecureBootCase c)
    {
        var result = CliRunner.Run("secure-boot", "digest", "--key", S(c.PrivateKey));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(c.PubkeyDigestSha256 + "\n", result.Out.ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VerifyAcceptsEspsecureSignatureAndRejectsTampering(Vectors.SecureBootCase c)
    {
        Assert.Equal(0, CliRunner.Run("secure-boot", "verify", "--key", S(c.PrivateKey), S(c.Signed)).ExitCode);
        var tampered = CliRunner.Run("secure-boot", "verify", "--key", S(c.PrivateKey), S(c.Tampered));
        Assert.Equal(1, tampered.ExitCode);
        Assert.EndsWith("[signature-digest-mismatch]", Assert.Single(tampered.ErrorLines));
        Assert.Equal("", tampered.Out);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SignThenVerify(Vectors.SecureBootCase c)
    {
        using var dir = new TempDir();
        var sign = CliRunner.Run("secure-boot", "sign", "--key", S(c.PrivateKey), "--in", S(c.Unsigned), "--out", dir["signed.bin"]);
        Assert.Equal(0, sign.ExitCode);
        Assert.Equal(c.SignedSize, new FileInfo(dir["signed.bin"]).Length);
        Assert.Equal(0, CliRunner.Run("secure-boot", "verify", "--key", S(c.PrivateKey), dir["signed.bin"]).ExitCode);
        // The unsigned part is espsecure's, byte for byte.
        var ours = File.ReadAllBytes(dir["signed.bin"]);
        var theirs = File.ReadAllBytes(S(c.Signed));
        Assert.Equal(theirs[..^4096], ours[..^4096]);
    }

    [Fact]
    public void SigningAnEmptyFileIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["empty.bin"], []);
        var result = CliRunner.Run("secure-boot", "sign", "--key", S(Vectors.SecureBootCases[0].PrivateKey), "--in", dir["empty.bin"], "--out", dir["signed.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[input-empty]", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(dir["signed.bin"]));
    }

    [Fact]
    public void VerifyWithAnotherSchemesKeyFails()
    {
        var result = CliRunner.Run("secure-boot", "verify", "--key", S("key-ecdsa256.pem"), S("image-rsa3072.signed.bin"));
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public void GarbageKeyIsOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["key.pem"], "not a key");
        var result = CliRunner.Run("secure-boot", "sign", "--key", dir["key.pem"], "--in", S("image-rsa3072.bin"), "--out", dir["out.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[invalid-key]", Assert.Single(result.ErrorLines));
        Assert.Equal(["key.pem"], dir.Files);
    }

    [Fact]
    public void VerifyNeedsTheFileArgument()
    {
        var result = CliRunner.Run("secure-boot", "verify", "--key", S("key-rsa3072.pem"));
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[usage]", Assert.Single(result.ErrorLines));
    }
}
