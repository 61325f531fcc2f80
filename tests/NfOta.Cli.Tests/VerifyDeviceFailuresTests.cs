using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Tests;
using NfOta.Packaging;

namespace NfOta.Cli.Tests;

/// <summary>
/// <c>nfota verify</c> says "valid" only where a device would install the release: signed manifests
/// a device or the server would refuse, and damaged pre-encrypted files, are named (exit 1).
/// </summary>
public sealed class VerifyDeviceFailuresTests
{
    private const string Stem = "nf-ota-test-2.0.0";

    private static TempDir Packed(params string[] more)
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["fw.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        var packed = CliRunner.Run(["pack", dir["fw.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        return dir;
    }

    /// <summary>Edit the signed lines of both manifests and sign them again with the release key: a well-signed manifest that says something else.</summary>
    private static void Resign(TempDir dir, Func<string, string> edit)
    {
        var text = File.ReadAllText(dir[$"pkg/{Stem}.manifest"]);
        var body = edit(text[..text.IndexOf("signature=", StringComparison.Ordinal)]);
        using var key = ManifestKey.Load(dir["keys/manifest-key.pem"]);
        var signed = SignedManifest.SignBody(key, System.Text.Encoding.ASCII.GetBytes(body));
        File.WriteAllBytes(dir[$"pkg/{Stem}.manifest"], signed);
        File.WriteAllBytes(dir["pkg/latest.manifest"], signed);
    }

    private static CliResult Verify(TempDir dir) => CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"], "--json");

    private static void AssertRejected(TempDir dir, string code)
    {
        var result = Verify(dir);
        Assert.True(result.ExitCode == 1, result.Out + result.Error);
        Assert.Contains($"[{code}]", result.Out);
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("2.0.1")]
    [InlineData("3.0")]
    public void AMinVersionNoBoardCouldSatisfyIsRejected(string minVersion)
    {
        using var dir = Packed();
        Resign(dir, body => body + $"min-version={minVersion}\n");
        AssertRejected(dir, "min-version-not-older");
    }

    [Theory]
    [InlineData("https://updates.example.com/fw/../fw/")]
    [InlineData("https://updates.example.com/fw/./")]
    [InlineData("https://updates.example.com/fw/%2e%2e/fw/")]
    public void AUrlTheServerRefusesIsRejected(string prefix)
    {
        using var dir = Packed();
        Resign(dir, body => body.Replace("url=https://updates.example.com/fw/", "url=" + prefix, StringComparison.Ordinal));
        AssertRejected(dir, "url-traversal");
    }

    [Fact]
    public void FirmwareNativesTheFirmwareDoesNotHaveAreRejected()
    {
        using var dir = Packed();
        Resign(dir, body => body + "firmware-natives=mscorlib:1549C856\n");
        AssertRejected(dir, "natives-mismatch");
    }

    [Fact]
    public void ATamperedPreEncryptedFileIsFoundWithoutTheDeviceKey()
    {
        using var dir = Packed("--encrypt-for", Vectors.PathOf("pre-encrypted-ota", "key-rsa3072.pub.pem"));
        Assert.Contains("\nencrypted-sha256=", File.ReadAllText(dir["pkg/latest.manifest"]));
        Assert.Equal(0, Verify(dir).ExitCode);
        var file = File.ReadAllBytes(dir[$"pkg/{Stem}.enc.bin"]);
        file[^100] ^= 0x01; // ciphertext: the header and length still look right
        File.WriteAllBytes(dir[$"pkg/{Stem}.enc.bin"], file);
        AssertRejected(dir, "hash-mismatch");
    }

    [Fact]
    public void AnOlderEncryptedManifestWithoutEncryptedSha256StaysValid()
    {
        using var dir = Packed("--encrypt-for", Vectors.PathOf("pre-encrypted-ota", "key-rsa3072.pub.pem"));
        Resign(dir, body => string.Join('\n', body.Split('\n').Where(line => !line.StartsWith("encrypted-sha256=", StringComparison.Ordinal))));
        Assert.DoesNotContain("encrypted-sha256", File.ReadAllText(dir["pkg/latest.manifest"]));
        var result = Verify(dir);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
    }
}
