using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>Every espsecure flash-encryption case, reproduced through the command line.</summary>
public class FlashCommandTests
{
    private static string F(string file) => Vectors.PathOf("flash-encryption", file);

    public static TheoryData<Vectors.FlashCase> Cases() => Vectors.FlashTheory();

    private static string Chip(Vectors.FlashCase c) => c.Algorithm == "esp32-aes256-tweak" ? "esp32" : "esp32s3";

    private static string[] ConfArgs(Vectors.FlashCase c) =>
        c.FlashCryptConf is { } conf ? ["--flash-crypt-conf", $"0x{conf:X}"] : [];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncryptMatchesEspsecure(Vectors.FlashCase c)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["flash", "encrypt", "--chip", Chip(c), "--key", F(c.Key), "--address", c.Address.ToString(),
            .. ConfArgs(c), "--in", F(c.Plaintext), "--out", dir["out.bin"]]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllBytes(F(c.Ciphertext)), File.ReadAllBytes(dir["out.bin"]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecryptMatchesEspsecure(Vectors.FlashCase c)
    {
        using var dir = new TempDir();
        // Data starting inside a sector may start inside the device key partition: kept only when asked for.
        string[] keep = c.Address % 0x1000 == 0 ? [] : ["--include-device-key"];
        var result = CliRunner.Run(["flash", "decrypt", "--chip", Chip(c), "--key", F(c.Key), "--address", $"0x{c.Address:x}",
            .. ConfArgs(c), .. keep, "--in", F(c.Ciphertext), "--out", dir["out.bin"]]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllBytes(F(c.Plaintext)), File.ReadAllBytes(dir["out.bin"]));
    }

    public static TheoryData<string, string[], string> BadInputs() => new()
    {
        { "key-length", ["--chip", "esp32", "--key", F("key-xts-k16.bin"), "--address", "0x1000", "--in", F("plain-p4096.bin")], "24 or 32 bytes" },
        { "key-length", ["--chip", "esp32c3", "--key", F("key-esp32-k192.bin"), "--address", "0x1000", "--in", F("plain-p4096.bin")], "16, 32 or 64 bytes" },
        { "alignment", ["--chip", "esp32", "--key", F("key-esp32-k256.bin"), "--address", "0x1008", "--in", F("plain-p4096.bin")], "multiple of 16" },
        { "alignment", ["--chip", "esp32c3", "--key", F("key-xts-k128.bin"), "--address", "0x1000", "--in", F("key-esp32-k192.bin")], "length 24" },
        { "file-not-found", ["--chip", "esp32", "--key", F("no-such-key.bin"), "--address", "0x1000", "--in", F("plain-p4096.bin")], "does not exist" },
        { "file-not-found", ["--chip", "esp32", "--key", F("key-esp32-k256.bin"), "--address", "0x1000", "--in", F("missing.bin")], "does not exist" },
        { "invalid-argument", ["--chip", "esp32", "--key", F("key-esp32-k256.bin"), "--address", "banana", "--in", F("plain-p4096.bin")], "not a number" },
        { "invalid-argument", ["--chip", "esp32c3", "--key", F("key-xts-k128.bin"), "--address", "0", "--flash-crypt-conf", "3", "--in", F("plain-p4096.bin")], "esp32 only" },
        { "invalid-argument", ["--chip", "esp32", "--key", F("key-esp32-k256.bin"), "--address", "0", "--flash-crypt-conf", "16", "--in", F("plain-p4096.bin")], "0..15" },
        { "unknown-chip", ["--chip", "esp8266", "--key", F("key-esp32-k256.bin"), "--address", "0", "--in", F("plain-p4096.bin")], "esp32c3" },
        { "usage", ["--chip", "esp32", "--address", "0", "--in", F("plain-p4096.bin")], "--key" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineAndNoOutput(string code, string[] args, string hint)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["flash", "encrypt", .. args, "--out", dir["out.bin"]]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: ", line);
        Assert.EndsWith($"[{code}]", line);
        Assert.Contains(hint, line);
        Assert.Empty(dir.Files);
    }

    [Fact]
    public void FailedRunLeavesAnExistingOutputUntouched()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["out.bin"], "previous");
        var result = CliRunner.Run("flash", "encrypt", "--chip", "esp32", "--key", F("key-esp32-k256.bin"), "--address", "0x8",
            "--in", F("plain-p4096.bin"), "--out", dir["out.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("previous", File.ReadAllText(dir["out.bin"]));
        Assert.Equal(["out.bin"], dir.Files);
    }

    [Fact]
    public void TheRealExecutableReportsErrorsOnStderrWithExitCode()
    {
        using var dir = new TempDir();
        var ok = CliRunner.RunProcess("flash", "encrypt", "--chip", "esp32c3", "--key", F("key-xts-k128.bin"), "--address", "0x10000",
            "--in", F("plain-p4096.bin"), "--out", dir["c.bin"]);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(File.ReadAllBytes(F("cipher-xts-xts-k128-0x10000-confNone-p4096.bin")), File.ReadAllBytes(dir["c.bin"]));
        var bad = CliRunner.RunProcess("flash", "encrypt", "--chip", "esp32c3", "--key", F("key-esp32-k192.bin"), "--address", "0x10000",
            "--in", F("plain-p4096.bin"), "--out", dir["d.bin"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.ErrorLines);
        Assert.False(File.Exists(dir["d.bin"]));
    }
}
