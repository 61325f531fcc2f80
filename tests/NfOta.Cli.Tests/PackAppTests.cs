using System.Text.Json;
using NfOta.Cli.Demo;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.NanoFramework;

namespace NfOta.Cli.Tests;

/// <summary><c>nfota pack --app</c>: app-only and firmware + app releases, and what is refused (nothing written).</summary>
public sealed class PackAppTests
{
    private static readonly Version Corlib = new(1, 17, 11, 0);

    private static TempDir Setup()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["mscorlib.pe"], PeWriter.Write("mscorlib", Corlib, 0x1549C856, [], 300));
        File.WriteAllBytes(dir["NfOta.Interop.pe"], PeWriter.Write("NfOta.Interop", new Version(1, 0, 0, 0), DemoApps.InteropChecksum, [("mscorlib", Corlib)], 100, seed: 2));
        File.WriteAllBytes(dir["App.pe"], PeWriter.Write("App", new Version(1, 1, 0, 0), 0, [("mscorlib", Corlib), ("NfOta.Interop", new Version(1, 0, 0, 0))], 2000, seed: 3));
        return dir;
    }

    private static CliResult Pack(TempDir dir, params string[] more) =>
        CliRunner.Run(["pack", "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);

    private static string[] App(TempDir dir) => ["--app", dir["mscorlib.pe"], dir["NfOta.Interop.pe"], dir["App.pe"]];

    private static byte[] Firmware(string version, bool withInterop, uint interop = DemoApps.InteropChecksum) =>
        SyntheticFirmware.Build(EspChip.Esp32, version, Boards.SigningKey, codeBytes: 4096, natives: new NativeAssemblyTable(withInterop
            ? [new("mscorlib", 0x1549C856), new("NfOta.Interop", interop)]
            : [new("mscorlib", 0x1549C856)]));

    [Fact]
    public void AnAppOnlyReleaseHasTheAppAndAFormat2ManifestAndVerifies()
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["fw.bin"], Firmware("1.0.0", withInterop: true));
        var packed = Pack(dir, [.. App(dir), "--version", "1.1.0", "--for-firmware", dir["fw.bin"], "--name", "sensor", "--json"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        using var json = JsonDocument.Parse(packed.Out);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("imageFile").ValueKind);
        Assert.Equal("sensor-1.1.0.app", json.RootElement.GetProperty("appFile").GetString());
        Assert.Equal($"mscorlib:1549C856,NfOta.Interop:{DemoApps.InteropChecksum:X8}", json.RootElement.GetProperty("appNatives").GetString());
        Assert.Equal(["pkg/latest.manifest", "pkg/sensor-1.1.0.app", "pkg/sensor-1.1.0.manifest"], dir.Files.Where(f => f.StartsWith("pkg/")));
        var manifest = File.ReadAllText(dir["pkg/latest.manifest"]);
        Assert.StartsWith("nfota-manifest 2\nchip=esp32\nversion=1.1.0\napp-size=", manifest);
        Assert.DoesNotContain("\nsize=", manifest);
        // The deployment image is the .pe files laid out as nanoCLR walks them.
        var walked = DeploymentImage.Walk(File.ReadAllBytes(dir["pkg/sensor-1.1.0.app"]));
        Assert.Equal(["mscorlib", "NfOta.Interop", "App"], walked.Select(e => AppBinding.DisplayName(e.Assembly!.Name)));

        var verified = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.True(verified.ExitCode == 0, verified.Out + verified.Error);
        var app = File.ReadAllBytes(dir["pkg/sensor-1.1.0.app"]);
        app[^3] ^= 1;
        File.WriteAllBytes(dir["pkg/sensor-1.1.0.app"], app);
        var tampered = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("[hash-mismatch]", tampered.Out + tampered.Error);
    }

    [Fact]
    public void AFirmwareAndAppReleaseCarriesBothAndTheFirmwaresNatives()
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["fw.bin"], Firmware("2.0.0", withInterop: true));
        var packed = Pack(dir, [dir["fw.bin"], .. App(dir)]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        var manifest = File.ReadAllText(dir["pkg/latest.manifest"]);
        Assert.Contains($"firmware-natives=mscorlib:1549C856,NfOta.Interop:{DemoApps.InteropChecksum:X8}\n", manifest);
        Assert.Contains("app-url=https://updates.example.com/fw/nfota-demo-2.0.0.app\n", manifest);
        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]).ExitCode);
    }

    [Theory]
    [InlineData("truncated", "pe-truncated")]
    [InlineData("crc", "pe-assembly-crc")]
    [InlineData("header", "pe-header-crc")]
    public void ADamagedPeIsRefusedByNameAndNothingIsWritten(string damage, string code)
    {
        using var dir = Setup();
        var bytes = File.ReadAllBytes(dir["App.pe"]);
        bytes = damage switch
        {
            "truncated" => bytes[..(bytes.Length - 100)],
            "crc" => Flip(bytes, bytes.Length - 10),
            _ => Flip(bytes, 30),
        };
        File.WriteAllBytes(dir["App.pe"], bytes);
        var result = Pack(dir, [.. App(dir), "--version", "1.1.0", "--chip", "esp32"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("App.pe", line);
        Assert.EndsWith($"[{code}]", line);
        Assert.False(Directory.Exists(dir["pkg"]) && Directory.EnumerateFileSystemEntries(dir["pkg"]).Any());
    }

    [Fact]
    public void AnAppItsFirmwareCannotRunIsRefusedAndNothingIsWritten()
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["old.bin"], Firmware("1.0.0", withInterop: true, interop: DemoApps.InteropChecksum + 1));
        var result = Pack(dir, [.. App(dir), "--version", "1.1.0", "--for-firmware", dir["old.bin"]]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("NfOta.Interop", line);
        Assert.EndsWith("[incompatible-firmware]", line);

        File.WriteAllBytes(dir["bare.bin"], Firmware("2.0.0", withInterop: false));
        result = Pack(dir, [dir["bare.bin"], .. App(dir)]);
        Assert.EndsWith("[incompatible-firmware]", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]) && Directory.EnumerateFileSystemEntries(dir["pkg"]).Any());
    }

    [Fact]
    public void VerifyNamesAnAppItsFirmwareCannotRun()
    {
        using var dir = Setup();
        // Forced past pack's own check, as a hand-made package could be.
        using var key = NfOta.Packaging.ManifestKey.Load(dir["keys/manifest-key.pem"]);
        var app = NfOta.Packaging.AppPart.FromFiles([.. App(dir).Skip(1).Select(p => (p, File.ReadAllBytes(p)))]);
        NfOta.Packaging.ReleasePackage.CreateRelease(new NfOta.Packaging.ReleaseRequest
        {
            Firmware = Firmware("2.0.0", withInterop: false), App = app, UrlBase = "https://updates.example.com/fw", OutDirectory = dir["pkg"], SkipNativeCheck = true,
        }, key);
        var verified = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.Equal(1, verified.ExitCode);
        var line = Assert.Single(verified.ErrorLines);
        Assert.Contains("NfOta.Interop", line);
        Assert.Contains("[incompatible-firmware]", line);
    }

    [Fact]
    public void BadCombinationsAreOneLine()
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["fw.bin"], Firmware("2.0.0", withInterop: true));
        Assert.EndsWith("[invalid-argument]", Assert.Single(Pack(dir).ErrorLines));
        Assert.Contains("--version", Assert.Single(Pack(dir, [.. App(dir), "--chip", "esp32"]).ErrorLines));
        Assert.Contains("--chip or --for-firmware", Assert.Single(Pack(dir, [.. App(dir), "--version", "1.1.0"]).ErrorLines));
        Assert.Contains("not both", Assert.Single(Pack(dir, [dir["fw.bin"], "--firmware", dir["fw.bin"]]).ErrorLines));
        Assert.Contains("app-only", Assert.Single(Pack(dir, [dir["fw.bin"], .. App(dir), "--chip", "esp32"]).ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]));
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x10;
        return copy;
    }
}
