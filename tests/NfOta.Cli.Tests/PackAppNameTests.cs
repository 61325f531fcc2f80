using NfOta.Cli.Demo;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.NanoFramework;

namespace NfOta.Cli.Tests;

/// <summary>
/// The NAME in an app-only release's NAME-VERSION files: the product's, as its firmware releases
/// have it (issue 24: an app-only release beside nfota-demo-2.0.0 was app-2.0.1).
/// </summary>
public sealed class PackAppNameTests
{
    private static readonly Version Corlib = new(1, 17, 11, 0);

    private static TempDir Setup()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["mscorlib.pe"], PeWriter.Write("mscorlib", Corlib, 0x1549C856, [], 300));
        File.WriteAllBytes(dir["Sensor.Drivers.pe"], PeWriter.Write("Sensor.Drivers", new Version(1, 0, 0, 0), 0, [("mscorlib", Corlib)], 100, seed: 2));
        File.WriteAllBytes(dir["SensorApp.pe"], PeWriter.Write("SensorApp", new Version(1, 1, 0, 0), 0, [("mscorlib", Corlib), ("Sensor.Drivers", new Version(1, 0, 0, 0))], 500, seed: 3));
        // The firmware SyntheticFirmware builds is the project "nfota-demo".
        File.WriteAllBytes(dir["fw.bin"], SyntheticFirmware.Build(EspChip.Esp32, "2.0.0", Boards.SigningKey, codeBytes: 4096, natives: new NativeAssemblyTable([new("mscorlib", 0x1549C856)])));
        return dir;
    }

    private static CliResult Pack(TempDir dir, params string[] more) =>
        CliRunner.Run(["pack", "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);

    // In glob order (bin/Release/*.pe): the app's own assembly is not last.
    private static string[] App(TempDir dir) => ["--app", dir["mscorlib.pe"], dir["SensorApp.pe"], dir["Sensor.Drivers.pe"]];

    private static string[] Packaged(TempDir dir) => [.. dir.Files.Where(f => f.StartsWith("pkg/")).Select(Path.GetFileName)!];

    [Fact]
    public void WithTheFirmwareItRunsWithItTakesThatFirmwaresProjectName()
    {
        using var dir = Setup();
        var packed = Pack(dir, [.. App(dir), "--version", "2.0.1", "--for-firmware", dir["fw.bin"]]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Equal(["latest.manifest", "nfota-demo-2.0.1.app", "nfota-demo-2.0.1.manifest"], Packaged(dir));
        Assert.Contains("app-url=https://updates.example.com/fw/nfota-demo-2.0.1.app\n", File.ReadAllText(dir["pkg/latest.manifest"]));
    }

    [Fact]
    public void WithOnlyAChipItTakesTheAppsOwnAssemblysName()
    {
        using var dir = Setup();
        var packed = Pack(dir, [.. App(dir), "--version", "2.0.1", "--chip", "esp32"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Equal(["SensorApp-2.0.1.app", "SensorApp-2.0.1.manifest", "latest.manifest"], Packaged(dir));
    }

    [Fact]
    public void AGivenNameWinsOverTheFirmwares()
    {
        using var dir = Setup();
        var packed = Pack(dir, [.. App(dir), "--version", "2.0.1", "--for-firmware", dir["fw.bin"], "--name", "sensor"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Equal(["latest.manifest", "sensor-2.0.1.app", "sensor-2.0.1.manifest"], Packaged(dir));
    }

    [Fact]
    public void AppsWithoutOneOwnAssemblyFallBackToApp()
    {
        using var dir = Setup();
        // Two assemblies nothing references: neither is the app's own.
        File.WriteAllBytes(dir["Other.pe"], PeWriter.Write("Other", new Version(1, 0, 0, 0), 0, [("mscorlib", Corlib)], 100, seed: 4));
        var packed = Pack(dir, [.. App(dir), dir["Other.pe"], "--version", "2.0.1", "--chip", "esp32"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Equal(["app-2.0.1.app", "app-2.0.1.manifest", "latest.manifest"], Packaged(dir));
    }

    [Fact]
    public void ANameWithNothingToNameFilesWithIsRefused()
    {
        using var dir = Setup();
        var result = Pack(dir, [.. App(dir), "--version", "2.0.1", "--chip", "esp32", "--name", ".."]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[bad-argument]", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]));
    }

    [Fact]
    public void OneAssemblyIsCountedInTheSingular()
    {
        using var dir = Setup();
        File.WriteAllBytes(dir["Blinky.pe"], PeWriter.Write("Blinky", new Version(1, 0, 0, 0), 0, [], 200, seed: 5));
        var packed = Pack(dir, ["--app", dir["Blinky.pe"], "--version", "1.0.1", "--chip", "esp32"]);
        Assert.True(packed.ExitCode == 0, packed.Out + packed.Error);
        Assert.Contains("Blinky-1.0.1.app: ", packed.Out);
        Assert.Contains(" bytes, 1 assembly", packed.Out);
        Assert.DoesNotContain("1 assemblies", packed.Out);
        var three = Pack(dir, [.. App(dir), "--version", "2.0.1", "--chip", "esp32"]);
        Assert.Contains(" bytes, 3 assemblies", three.Out);
    }
}
