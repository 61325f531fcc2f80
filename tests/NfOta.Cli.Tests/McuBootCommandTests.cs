using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary>
/// `nfota mcuboot verify` gives imgtool's own verdicts (tests/vectors/mcuboot-images/verify.tsv, from
/// imgtool 2.3.0's verify): the digest it printed for each image it accepted, a refusal for each
/// image it refused; a refusal is one line with a stable code and exit 1, what is not an image exit 2.
/// </summary>
public sealed class McuBootCommandTests
{
    private static string Vectors => Path.Combine(RepoPaths.Root, "tests", "vectors", "mcuboot-images");

    public static TheoryData<string, string, string> ImgtoolVerdicts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Vectors, "verify.tsv")).Where(l => l.Length > 0))
        {
            var parts = line.Split('\t');
            data.Add(parts[0], parts[1], parts[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ImgtoolVerdicts))]
    public void GivesImgtoolsVerdict(string image, string key, string imgtool)
    {
        var result = CliRunner.Run("mcuboot", "verify", Path.Combine(Vectors, image), "--key", Path.Combine(Vectors, key));
        if (imgtool.StartsWith("Image digest: ", StringComparison.Ordinal))
        {
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains($"SHA-256 {imgtool["Image digest: ".Length..]} (matches its TLV)", result.Out);
            Assert.Contains("signature: EC256, verified with the given key", result.Out);
        }
        else
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Matches(@"^nfota: error: .+ \[mcuboot-[a-z-]+\]$", Assert.Single(result.ErrorLines));
            Assert.Empty(result.Out);
        }
    }

    [Fact]
    public void ARefusalSaysWhyWithAStableCodeAndAnExitCodeForItsKind()
    {
        Assert.Equal((1, "[mcuboot-key-mismatch]"), Refusal("ec256-h200-65549.bin", "key-ec256-other.pem"));
        Assert.Equal((1, "[mcuboot-hash-mismatch]"), Refusal("tampered-payload-ec256-h200-65549.bin", "key-ec256.pem"));
        Assert.Equal((2, "[mcuboot-bad-magic]"), Refusal("tampered-magic-ec256-h200-65549.bin", "key-ec256.pem"));
        Assert.Equal((2, "[mcuboot-bad-magic]"), Refusal("plain-1000.bin", null));
        // A key that is not EC P-256 (here secure boot's RSA-3072) is bad input, not a verdict on the image.
        Assert.Equal((2, "[mcuboot-invalid-key]"), Refusal("ec256-h20-1000.bin", Path.Combine(RepoPaths.Root, "tests", "vectors", "secure-boot-v2", "key-rsa3072.pem")));
    }

    [Fact]
    public void WithoutAKeyItChecksTheHashAndSaysTheSignatureIsUnchecked()
    {
        var result = CliRunner.Run("mcuboot", "verify", Path.Combine(Vectors, "ec256-dep-65549.bin"), "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("2.0.0+0", json.RootElement.GetProperty("version").GetString());
        Assert.Equal("10b9987933e1cc74508b52a4e79297f09ff8ec2ad2c1d1ee1d5a85873845751e", json.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(["(0, 1.5.0+0)"], json.RootElement.GetProperty("dependencies").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("EC256, not checked (give --key)", json.RootElement.GetProperty("signature").GetString());
        Assert.Contains("signature: none (hash only)", CliRunner.Run("mcuboot", "verify", Path.Combine(Vectors, "unsigned-1000.bin")).Out);
    }

    private static (int, string) Refusal(string image, string? key)
    {
        string[] args = key is null ? ["mcuboot", "verify", Path.Combine(Vectors, image)] : ["mcuboot", "verify", Path.Combine(Vectors, image), "--key", Path.Combine(Vectors, key)];
        var result = CliRunner.Run(args);
        var line = Assert.Single(result.ErrorLines);
        return (result.ExitCode, line[line.LastIndexOf('[')..]);
    }
}
