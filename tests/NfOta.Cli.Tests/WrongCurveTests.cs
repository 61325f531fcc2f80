using System.Security.Cryptography;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;

namespace NfOta.Cli.Tests;

/// <summary>256-bit curves that are not P-256: a device rejects what they sign, so nfota refuses them.</summary>
public sealed class WrongCurveTests
{
    public static TheoryData<string> OtherCurves() => new() { "secp256k1", "brainpoolP256r1" };

    private static void WriteKey(string path, string curve)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        File.WriteAllText(path, key.ExportECPrivateKeyPem());
    }

    [Theory]
    [MemberData(nameof(OtherCurves))]
    public void PackAndVerifyRefuseAManifestKeyOnAnotherCurve(string curve)
    {
        using var dir = new TempDir();
        WriteKey(dir["key.pem"], curve);
        File.WriteAllBytes(dir["app.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));

        var pack = CliRunner.Run("pack", dir["app.bin"], "--key", dir["key.pem"], "--url-base", "https://u.example/", "--out", dir["pkg"]);
        Assert.Equal(2, pack.ExitCode);
        Assert.EndsWith("[key-invalid]", Assert.Single(pack.ErrorLines));
        Assert.Contains("not P-256", pack.Error);
        Assert.False(Directory.Exists(dir["pkg"]));

        Directory.CreateDirectory(dir["pkg"]);
        File.WriteAllText(dir["pkg/latest.manifest"], "chip=esp32c3\n");
        var verify = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["key.pem"]);
        Assert.Equal(2, verify.ExitCode);
        Assert.EndsWith("[key-invalid]", Assert.Single(verify.ErrorLines));
    }

    [Theory]
    [MemberData(nameof(OtherCurves))]
    public void SecureBootRefusesAKeyOnAnotherCurve(string curve)
    {
        using var dir = new TempDir();
        WriteKey(dir["key.pem"], curve);
        File.WriteAllBytes(dir["app.bin"], new byte[5000]);

        var digest = CliRunner.Run("secure-boot", "digest", "--key", dir["key.pem"]);
        Assert.Equal(2, digest.ExitCode);
        Assert.EndsWith("[signature-unsupported-key]", Assert.Single(digest.ErrorLines));
        Assert.Equal("", digest.Out);

        var sign = CliRunner.Run("secure-boot", "sign", "--key", dir["key.pem"], "--in", dir["app.bin"], "--out", dir["signed.bin"]);
        Assert.Equal(2, sign.ExitCode);
        Assert.EndsWith("[signature-unsupported-key]", Assert.Single(sign.ErrorLines));
        Assert.False(File.Exists(dir["signed.bin"]));
    }
}
