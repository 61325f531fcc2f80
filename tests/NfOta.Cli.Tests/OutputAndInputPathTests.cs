using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// Paths that cannot be read or written: one line with a code, exit 2 for what the user typed and
/// 3 for what the machine refused, no stack trace, and nothing written.
/// </summary>
public sealed class OutputAndInputPathTests
{
    // Root may write anywhere, but not into /proc; and /proc/self/mem opens but cannot be read from 0.
    private const string UnwritableFolder = "/proc/nfota-no-such-folder";
    private const string UnreadableFile = "/proc/self/mem";

    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    private static void AssertOneLine(CliResult result, int exitCode, string code)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Error}");
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: ", line);
        Assert.EndsWith($"[{code}]", line);
        Assert.DoesNotContain("   at ", result.Error);
    }

    private static TempDir WithKeysAndImage()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["app.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        return dir;
    }

    private static CliResult Pack(TempDir dir, string output, string? key = null) =>
        CliRunner.Run("pack", dir["app.bin"], "--key", key ?? dir["keys/manifest-key.pem"], "--url-base", "https://u.example/", "--out", output);

    [Fact]
    public void AnEmptyOutIsRefused()
    {
        using var dir = WithKeysAndImage();
        var before = Directory.GetCurrentDirectory();
        AssertOneLine(CliRunner.Run("keys", "new", "--out", ""), 2, "invalid-argument");
        AssertOneLine(Pack(dir, ""), 2, "invalid-argument");
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", S("image-rsa3072.bin"), "--out", ""), 2, "invalid-argument");
        AssertOneLine(CliRunner.Run("partitions", "to-csv", "--in", dir["app.bin"], "--out", ""), 2, "invalid-argument");
        Assert.False(File.Exists(Path.Combine(before, "manifest-key.pem")));
    }

    [Fact]
    public void OutMustBeAFolderOrAFileAsTheCommandNeeds()
    {
        using var dir = WithKeysAndImage();
        File.WriteAllText(dir["a-file"], "mine");
        AssertOneLine(CliRunner.Run("keys", "new", "--out", dir["a-file"]), 2, "invalid-argument");
        AssertOneLine(Pack(dir, dir["a-file"]), 2, "invalid-argument");
        Assert.Equal("mine", File.ReadAllText(dir["a-file"]));

        Directory.CreateDirectory(dir["a-folder"]);
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", S("image-rsa3072.bin"), "--out", dir["a-folder"]), 2, "invalid-argument");
        Assert.Empty(Directory.GetFileSystemEntries(dir["a-folder"]));
    }

    [Fact]
    public void AnUnwritableFolderIsAFailureOfTheMachine()
    {
        using var dir = WithKeysAndImage();
        AssertOneLine(CliRunner.Run("keys", "new", "--out", UnwritableFolder), 3, "file-not-writable");
        AssertOneLine(Pack(dir, UnwritableFolder), 3, "file-not-writable");
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", S("image-rsa3072.bin"), "--out", "/proc/nfota-signed.bin"), 3, "file-not-writable");
    }

    [Fact]
    public void AnUnreadableKeyOrManifestIsOneLine()
    {
        using var dir = WithKeysAndImage();
        AssertOneLine(Pack(dir, dir["pkg"], UnreadableFile), 2, "file-not-readable");
        Assert.False(Directory.Exists(dir["pkg"]));
        AssertOneLine(CliRunner.Run("verify", dir["keys"], "--pubkey", UnreadableFile), 2, "file-not-readable");

        Directory.CreateDirectory(dir["broken"]);
        File.CreateSymbolicLink(dir["broken/latest.manifest"], dir["nowhere"]);
        // A dangling manifest is one failed row (VerifyServableTests), not an abort.
        var broken = CliRunner.Run("verify", dir["broken"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        AssertOneLine(broken, 1, "package-invalid");
        Assert.Contains("[not-servable]", broken.Error);
    }

    [Fact]
    public void ALongButLegalFileNameIsWritten()
    {
        using var dir = new TempDir();
        var name = new string('n', 246) + ".bin"; // 250 bytes: legal, though ".{name}.{pid}.tmp" was not
        var result = CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", S("image-rsa3072.bin"), "--out", dir[name]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal([name], dir.Files);

        // One byte more is a name no file system takes: the user's to fix (2), not the machine's (3).
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", S("image-rsa3072.bin"), "--out", dir[new string('n', 252) + ".bin"]), 2, "invalid-argument");
        AssertOneLine(CliRunner.Run("keys", "new", "--out", dir[new string('k', 256)]), 2, "invalid-argument");
        Assert.Equal([name], dir.Files);
    }

    [Fact]
    public void TheInputIsNeverTheOutput()
    {
        using var dir = new TempDir();
        File.Copy(S("image-rsa3072.bin"), dir["app.bin"]);
        var original = File.ReadAllBytes(dir["app.bin"]);
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["app.bin"], "--out", dir["app.bin"]), 2, "same-file");
        File.CreateSymbolicLink(dir["link.bin"], dir["app.bin"]);
        AssertOneLine(CliRunner.Run("secure-boot", "sign", "--key", S("key-rsa3072.pem"), "--in", dir["app.bin"], "--out", dir["link.bin"]), 2, "same-file");
        AssertOneLine(CliRunner.Run("flash", "encrypt", "--chip", "esp32c3", "--key", dir["app.bin"], "--address", "0x10000", "--in", dir["app.bin"], "--out", dir["app.bin"]), 2, "same-file");
        File.WriteAllText(dir["table.csv"], "nvs, data, nvs, 0x9000, 0x6000,\n");
        AssertOneLine(CliRunner.Run("partitions", "to-binary", "--in", dir["table.csv"], "--out", dir["table.csv"]), 2, "same-file");
        Assert.Equal(original, File.ReadAllBytes(dir["app.bin"]));
        Assert.Equal("nvs, data, nvs, 0x9000, 0x6000,\n", File.ReadAllText(dir["table.csv"]));
    }

    [Fact]
    public void KeysNewWritesNoKeyWhenItRefusesAnother()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["first"], "--secure-boot", "ecdsa256").ExitCode);
        Directory.CreateDirectory(dir["second"]);
        File.Copy(dir["first/secure-boot-key.pem"], dir["second/secure-boot-key.pem"]);
        AssertOneLine(CliRunner.Run("keys", "new", "--out", dir["second"], "--secure-boot", "ecdsa256"), 2, "key-exists");
        Assert.Equal(["secure-boot-key.pem"], Directory.GetFiles(dir["second"]).Select(Path.GetFileName));
    }

    [Fact]
    public void PackWritesTheWholePackageOrNothing()
    {
        using var dir = WithKeysAndImage();
        Directory.CreateDirectory(dir["pkg/latest.manifest"]); // in the way of the last of the three files
        AssertOneLine(Pack(dir, dir["pkg"]), 2, "invalid-argument");
        Assert.Equal(["latest.manifest"], Directory.GetFileSystemEntries(dir["pkg"]).Select(Path.GetFileName));
    }
}

/// <summary>An empty path in any position of any command: one line, exit 2, never a stack trace.</summary>
public sealed class EmptyPathTests
{
    private static string S(string file) => Vectors.PathOf("secure-boot-v2", file);

    public static TheoryData<string[]> Commands()
    {
        var key = S("key-rsa3072.pem");
        var image = S("image-rsa3072.bin");
        return new()
        {
            new[] { "secure-boot", "digest", "--key", "" },
            new[] { "secure-boot", "sign", "--key", "", "--in", image, "--out", "/tmp/nfota-never.bin" },
            new[] { "secure-boot", "sign", "--key", key, "--in", "", "--out", "/tmp/nfota-never.bin" },
            new[] { "secure-boot", "verify", "--key", key, "" },
            new[] { "pack", "", "--key", key, "--url-base", "http://x.example/", "--out", "/tmp/nfota-never" },
            new[] { "pack", image, "--key", "", "--url-base", "http://x.example/", "--out", "/tmp/nfota-never" },
            new[] { "verify", "", "--pubkey", key },
            new[] { "verify", "/tmp", "--pubkey", "" },
            new[] { "serve", "/tmp", "--port", "0", "--tls-cert", "" },
            new[] { "serve", "", "--port", "0" },
            new[] { "partitions", "to-binary", "--in", "", "--out", "/tmp/nfota-never.bin" },
            new[] { "partitions", "to-csv", "--in", "", "--out", "/tmp/nfota-never.csv" },
            new[] { "flash", "encrypt", "--chip", "esp32c3", "--key", "", "--address", "0", "--in", image, "--out", "/tmp/nfota-never.bin" },
            new[] { "flash", "decrypt", "--chip", "esp32c3", "--key", key, "--address", "0", "--in", "", "--out", "/tmp/nfota-never.bin" },
        };
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void AnEmptyPathIsOneLine(string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
        Assert.StartsWith("nfota: error: ", Assert.Single(result.ErrorLines));
        Assert.False(Path.Exists("/tmp/nfota-never.bin") || Path.Exists("/tmp/nfota-never") || Path.Exists("/tmp/nfota-never.csv"));
    }
}
