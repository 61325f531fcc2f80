using System.Text;
using NfOta.Cli.Demo;
using NfOta.Manifest;
using NfOta.NanoFramework;
using NfOta.Packaging;

namespace NfOta.Cli.Tests;

/// <summary>
/// Every value <c>nfota pack</c> writes into a manifest passes the device parser's rules, and the
/// written text parses back to what was meant before it is signed: nothing signed can say more.
/// </summary>
public sealed class PackManifestValueTests
{
    private static readonly Version Corlib = new(1, 17, 11, 0);

    private static TempDir Setup()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["mscorlib.pe"], PeWriter.Write("mscorlib", Corlib, 0x1549C856, [], 300));
        return dir;
    }

    private static CliResult PackAppOnly(TempDir dir, string chip, params string[] pe) =>
        CliRunner.Run(["pack", "--app", dir["mscorlib.pe"], .. pe, "--version", "1.1.0", "--chip", chip,
            "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/", "--out", dir["pkg"]]);

    private static void AssertRefusedWithNothingWritten(TempDir dir, CliResult result, string code)
    {
        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: ", line);
        Assert.EndsWith($"[{code}]", line);
        Assert.False(Directory.Exists(dir["pkg"]) && Directory.EnumerateFileSystemEntries(dir["pkg"]).Any());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("ESP32")]
    [InlineData("esp32 ")]
    [InlineData("")]
    [InlineData("esp32\nmin-version=9.9.9")]
    [InlineData("esp32\napp-natives=mscorlib:1549C856")]
    public void AnAppOnlyChipMustBeOneTheDeviceKnows(string chip)
    {
        using var dir = Setup();
        AssertRefusedWithNothingWritten(dir, PackAppOnly(dir, chip), "bad-argument");
    }

    [Theory]
    [InlineData("Evil\nmin-version=9.9.9", 0x11111111u)]
    [InlineData("Evil,mscorlib:00000000", 0x11111111u)]
    [InlineData("Bad\u001bName", 0x11111111u)]
    [InlineData("Caf\u00e9", 0x11111111u)]
    public void AnAssemblyNameTheManifestCannotCarryIsRefused(string name, uint checksum)
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["Odd.pe"], PeWriter.Write(name, new Version(1, 0, 0, 0), checksum, [("mscorlib", Corlib)], 100, seed: 4));
        AssertRefusedWithNothingWritten(dir, PackAppOnly(dir, "esp32", dir["Odd.pe"]), "assembly-name-invalid");
    }

    [Theory]
    [InlineData("Bad\u001bName")]
    [InlineData("Caf\u00e9")]
    public void AnOddlyNamedAssemblyWithoutNativesIsPackedAndVerifies(string name)
    {
        // Its name never reaches the manifest: only assemblies with native methods are listed.
        using var dir = Setup();
        File.WriteAllBytes(dir["Odd.pe"], PeWriter.Write(name, new Version(1, 0, 0, 0), 0, [("mscorlib", Corlib)], 100, seed: 4));
        var packed = PackAppOnly(dir, "esp32", dir["Odd.pe"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]).ExitCode);
    }

    [Fact]
    public void AValueThatAddsALineIsCaughtByTheParseBackBeforeSigning()
    {
        // The URL is not among the values checked one by one: only reading the text back finds the extra line.
        using var key = ManifestKey.Create();
        var content = new ManifestContent
        {
            Chip = "esp32", Version = "1.1.0",
            App = new ManifestApp(100, new byte[32], "https://u.example/a.app\nmin-version=9.9.9", new NativeAssemblyTable([])),
        };
        var e = Assert.Throws<PackagingException>(() => ManifestWriter.Sign(key, content));
        Assert.Equal("manifest-mismatch", e.Code);
        Assert.Contains(ManifestFormat.MinVersion, e.Message);
    }

    [Fact]
    public void WhatIsWrittenParsesBackToWhatWasMeant()
    {
        using var key = ManifestKey.Create();
        var content = new ManifestContent
        {
            Chip = "esp32c3", Version = "1.1.0", MinVersion = "1.0.0",
            App = new ManifestApp(100, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), "https://u.example/a.app",
                new NativeAssemblyTable([new("mscorlib", 0x1549C856), new("NfOta.Interop", DemoApps.InteropChecksum)])),
        };
        var signed = ManifestWriter.Sign(key, content);
        var parsed = UpdateManifest.Parse(signed, signed.Length);
        Assert.Null(ManifestWriter.Difference(content, parsed));
        Assert.True(key.Verify(signed.AsSpan(0, parsed.SignedLength), parsed.Signature));
        Assert.Equal(content.Body(), Encoding.ASCII.GetString(signed, 0, parsed.SignedLength));
    }
}
