using System.Text.Json;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;

namespace NfOta.Cli.Tests;

public sealed class PackAndVerifyTests
{
    private static (TempDir Dir, string Image) Setup(string version = "2.0.0", EspChip? chip = null)
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        var image = dir["app.bin"];
        File.WriteAllBytes(image, Boards.Image(chip ?? EspChip.Esp32C3, version));
        return (dir, image);
    }

    private static CliResult Pack(TempDir dir, string image, params string[] more) =>
        CliRunner.Run(["pack", image, "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);

    private static CliResult Verify(TempDir dir, string? key = null) =>
        CliRunner.Run("verify", dir["pkg"], "--pubkey", key ?? dir["keys/manifest-key.pub.pem"]);

    [Fact]
    public void PacksWhatTheImageSaysAndVerifies()
    {
        var (dir, image) = Setup();
        using var _ = dir;
        var packed = Pack(dir, image, "--min-version", "1.5.0", "--json");
        Assert.Equal(0, packed.ExitCode);
        using var json = JsonDocument.Parse(packed.Out);
        Assert.Equal("esp32c3", json.RootElement.GetProperty("chip").GetString());
        Assert.Equal("2.0.0", json.RootElement.GetProperty("version").GetString());
        Assert.Equal("https://updates.example.com/fw/nf-ota-test-2.0.0.bin", json.RootElement.GetProperty("url").GetString());
        Assert.True(json.RootElement.GetProperty("secureBootSigned").GetBoolean());
        Assert.Equal(["app.bin", "keys/manifest-key.pem", "keys/manifest-key.pub.pem", "pkg/latest.manifest", "pkg/nf-ota-test-2.0.0.bin", "pkg/nf-ota-test-2.0.0.manifest"], dir.Files.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(image), File.ReadAllBytes(dir["pkg/nf-ota-test-2.0.0.bin"]));
        var manifest = File.ReadAllText(dir["pkg/latest.manifest"]);
        Assert.Contains("min-version=1.5.0\n", manifest);

        var verified = Verify(dir);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("valid", verified.Out);
    }

    [Fact]
    public void ATamperedImageOrManifestOrAnotherKeyIsRejected()
    {
        var (dir, image) = Setup();
        using var _ = dir;
        Assert.Equal(0, Pack(dir, image).ExitCode);

        var bin = dir["pkg/nf-ota-test-2.0.0.bin"];
        var original = File.ReadAllBytes(bin);
        var flipped = (byte[])original.Clone();
        flipped[5000] ^= 0x40;
        File.WriteAllBytes(bin, flipped);
        var result = Verify(dir);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[hash-mismatch]", result.Out + result.Error);
        Assert.Contains("[block-mismatch]", result.Out + result.Error); // block 1 of the image (4 KiB... 64 KiB blocks)
        File.WriteAllBytes(bin, original);

        var manifestPath = dir["pkg/latest.manifest"];
        var manifest = File.ReadAllText(manifestPath);
        File.WriteAllText(manifestPath, manifest.Replace("secure-version=0", "secure-version=9"));
        result = Verify(dir);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[manifest-signature]", result.Out + result.Error);
        File.WriteAllText(manifestPath, manifest);

        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["other"]).ExitCode);
        result = Verify(dir, dir["other/manifest-key.pub.pem"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not verify with this public key", result.Out);

        Assert.Equal(0, Verify(dir).ExitCode);
    }

    [Fact]
    public void ABrokenImageIsRefusedWithTheReasonAndNothingIsWritten()
    {
        var (dir, image) = Setup();
        using var _ = dir;
        var bytes = File.ReadAllBytes(image);
        File.WriteAllBytes(image, bytes[..(bytes.Length / 2)]);
        var result = Pack(dir, image);
        Assert.Equal(2, result.ExitCode);
        // One line with one code: the format's own, not a second one after it.
        var line = Assert.Single(result.ErrorLines);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, @"\[[a-z0-9-]+\]"));
        Assert.EndsWith("[image-truncated]", line);
        Assert.Contains("not a valid ESP32 app", result.Error);
        Assert.False(Directory.Exists(dir["pkg"]));

        bytes[0] = 0x00;
        File.WriteAllBytes(image, bytes);
        result = Pack(dir, image);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("magic", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("partition-table", "image-bad-magic")]
    [InlineData("erased", "image-bad-magic")]
    [InlineData("text", "image-truncated")]
    [InlineData("no-app-description", "image-invalid")]
    public void WhatIsNotAnAppImageIsOneLineWithOneCode(string what, string? code)
    {
        var (dir, image) = Setup();
        using var _ = dir;
        File.WriteAllBytes(image, what switch
        {
            "partition-table" => [0xAA, 0x50, 0x01, 0x02, .. new byte[28], .. Enumerable.Repeat((byte)0xFF, 3040)],
            "erased" => Enumerable.Repeat((byte)0xFF, 65536).ToArray(),
            "text" => "not an image\n"u8.ToArray(),
            // An image with the app magic but no esp_app_desc_t, as a bootloader is.
            _ => new NfOta.Esp32.Images.AppImageBuilder(EspChip.Esp32C3).AddSegment(EspChip.Esp32C3.Drom.Start + 0x20, new byte[256]).Build(),
        });
        File.WriteAllBytes(dir["App.pe"], NfOta.NanoFramework.PeWriter.Write("App", new Version(1, 0, 0, 0), 0, [], 100));
        var forFirmware = CliRunner.Run("pack", "--app", dir["App.pe"], "--version", "1.0.0", "--for-firmware", image,
            "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"]);
        foreach (var result in new[] { Pack(dir, image), forFirmware })
        {
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.ErrorLines);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, @"\[[a-z0-9-]+\]"));
            if (code is not null) Assert.EndsWith($"[{code}]", line);
            Assert.DoesNotContain("   at ", result.Error);
            Assert.False(Directory.Exists(dir["pkg"]));
        }
    }

    [Fact]
    public void BadArgumentsAreExplained()
    {
        var (dir, image) = Setup();
        using var _ = dir;
        Assert.Contains("[bad-argument]", Pack(dir, image, "--min-version", "one").Error);
        Assert.Contains("is not an http", CliRunner.Run("pack", image, "--key", dir["keys/manifest-key.pem"], "--url-base", "ftp://x", "--out", dir["pkg"]).Error);
        Assert.Contains("[key-not-private]", CliRunner.Run("pack", image, "--key", dir["keys/manifest-key.pub.pem"], "--url-base", "http://x/", "--out", dir["pkg"]).Error);
        Assert.Contains("[package-empty]", CliRunner.Run("verify", dir["keys"], "--pubkey", dir["keys/manifest-key.pub.pem"]).Error);
        Assert.Contains("[file-not-found]", CliRunner.Run("verify", dir["nothing"], "--pubkey", dir["keys/manifest-key.pub.pem"]).Error);
    }
}

/// <summary>Packages that would verify but that no device could use, refused or kept right.</summary>
public sealed class PackRefusesUselessReleasesTests
{
    private static TempDir WithKeys()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        return dir;
    }

    private static CliResult Pack(TempDir dir, string version, params string[] more)
    {
        var image = dir[$"app-{version}.bin"];
        File.WriteAllBytes(image, Boards.Image(EspChip.Esp32C3, version));
        return CliRunner.Run(["pack", image, "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);
    }

    [Fact]
    public void PackingAnOlderVersionKeepsTheNewerLatestManifest()
    {
        using var dir = WithKeys();
        Assert.Equal(0, Pack(dir, "3.0.0").ExitCode);
        var latest = File.ReadAllText(dir["pkg/latest.manifest"]);
        var older = Pack(dir, "2.0.0", "--json");
        Assert.Equal(0, older.ExitCode);
        Assert.Equal(latest, File.ReadAllText(dir["pkg/latest.manifest"]));
        Assert.True(File.Exists(dir["pkg/nf-ota-test-2.0.0.manifest"]));
        using var json = JsonDocument.Parse(older.Out);
        Assert.Equal("3.0.0", json.RootElement.GetProperty("latestVersion").GetString());
        Assert.Contains("kept: it names 3.0.0", Pack(dir, "2.5.0").Out);

        Assert.Equal(0, Pack(dir, "4.0.0").ExitCode);
        Assert.Contains("version=4.0.0\n", File.ReadAllText(dir["pkg/latest.manifest"]));
    }

    [Theory]
    [InlineData("https://updates.example.com/my firmware/")]
    [InlineData("https://updates.example.com/fw?channel=beta")]
    [InlineData("https://updates.example.com/fw#top")]
    [InlineData("https://user:secret@updates.example.com/fw")]
    [InlineData("https://updates.example.com/my%20firmware/")]
    [InlineData("http://h:0/")]
    [InlineData("https://updates.example.com:00/fw")]
    [InlineData("https://updates.example.com/a/../fw/")]
    [InlineData("https://updates.example.com/./fw")]
    [InlineData("https://updates.example.com/fw/..")]
    [InlineData("https://updates.example.com/fw/.")]
    public void AUrlBaseADeviceCannotDownloadIsRefused(string urlBase)
    {
        using var dir = WithKeys();
        File.WriteAllBytes(dir["app.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        var result = CliRunner.Run("pack", dir["app.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", urlBase, "--out", dir["pkg"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[bad-argument]", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]));
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("2.0.1")]
    [InlineData("10.0")]
    public void AMinVersionNoBoardCouldMeetIsRefused(string minVersion)
    {
        using var dir = WithKeys();
        var result = Pack(dir, "2.0.0", "--min-version", minVersion);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[bad-argument]", Assert.Single(result.ErrorLines));
        Assert.Contains("no board could install it", result.Error);
        Assert.False(Directory.Exists(dir["pkg"]));
        Assert.Equal(0, Pack(dir, "2.0.0", "--min-version", "1.9.9").ExitCode);
    }
}
