using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary>The README's main job, end to end, and the dump it leaves explained by inspect.</summary>
[CollectionDefinition("demo", DisableParallelization = true)]
public sealed class DemoCollection;

[Collection("demo")]
public sealed class DemoCommandTests
{
    [Fact]
    public void TheEncryptedDemoInstallsPreEncryptedFirmwareAndRefusesAnotherBoardsRelease()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--encrypted", "--chip", "esp32c3", "--out", dir.Path);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("firmware came pre-encrypted, and 3.0.0 for another board's key was refused before anything was written", result.Out);
        Assert.Contains("wrong-device-key", result.Out);
        Assert.True(File.Exists(dir["keys/device-key.pub.pem"]));
        // What is downloaded is named, and counted as fetched: the pre-encrypted file's header too.
        Assert.Contains($"  downloaded firmware 2.0.0: {new FileInfo(Directory.GetFiles(dir["releases"], "*2.0.0*.enc.bin").Single()).Length:N0} bytes", result.Out);
        // The releases on the server hold no plain firmware: only .enc.bin files.
        Assert.NotEmpty(Directory.GetFiles(dir["releases"], "*.enc.bin"));
        Assert.DoesNotContain(Directory.GetFiles(dir["releases"], "*.bin"), f => !f.EndsWith(".enc.bin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void UpdatesConfirmsRollsBackAndLeavesADumpInspectExplains(string chip)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("demo", "--chip", chip, "--out", dir.Path);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("OK: ", result.Out);
        Assert.Contains("app-only 1.1.0, reboot", result.Out);
        Assert.Contains("firmware + app 2.0.0, reboot", result.Out);
        Assert.Contains("PENDING_VERIFY", result.Out);
        Assert.Contains("refused by nfota pack: incompatible-firmware", result.Out);
        Assert.Contains("nothing written", result.Out);
        Assert.Contains("mqtt-broker failed: rolled back to ota_0", result.Out); // (the table wraps long outcomes)
        // One line per file downloaded, each named.
        Assert.Contains($"  downloaded firmware 3.0.0: {new FileInfo(dir["releases/nfota-demo-3.0.0.bin"]).Length:N0} bytes", result.Out);
        Assert.Contains($"  downloaded app 3.0.0: {new FileInfo(dir["releases/nfota-demo-3.0.0.app"]).Length:N0} bytes", result.Out);
        // The board is laid out by the 8 MB table nf-ota ships for the chip.
        Assert.Contains($"8 MiB flash laid out by nf-ota's partitions_nanoclr_8mb.csv for {chip} (table at 0xE000)", result.Out);
        // Run from this build inside the clone: the printed command runs from the clone, as the README's do.
        Assert.Contains($"  {NfOta.Cli.Cli.Invocation.Prefix()} inspect {dir["flash.bin"]} --chip {chip} --table-offset 0xE000 --key {dir["keys/flash-encryption-key.bin"]}", result.Out);
        Assert.StartsWith("dotnet run --project ", NfOta.Cli.Cli.Invocation.Prefix());

        // Without --table-offset inspect finds the table where nf-ota's build puts it (0xE000) when none reads at 0x8000.
        var inspect = CliRunner.Run("inspect", dir["flash.bin"], "--chip", chip, "--key", dir["keys/flash-encryption-key.bin"],
            "--secure-boot-key", dir["keys/secure-boot-key.pub.pem"], "--json");
        Assert.Equal(0, inspect.ExitCode);
        using var report = JsonDocument.Parse(inspect.Out);
        var boot = report.RootElement.GetProperty("boot");
        Assert.Equal("ota_0", boot.GetProperty("partition").GetString());
        Assert.Equal("2.0.0", boot.GetProperty("version").GetString());
        // Each slot with the app it runs: 2.0.0's in deploy_0, the rolled-back 3.0.0's in deploy_1.
        var apps = report.RootElement.GetProperty("slots").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("app"));
        Assert.Equal("deploy_0", apps["ota_0"].GetProperty("partition").GetString());
        Assert.Equal("2.0.0", apps["ota_0"].GetProperty("release").GetString());
        Assert.True(apps["ota_0"].GetProperty("binds").GetBoolean());
        Assert.Equal(["mscorlib", "NfOta.Interop", "System.Device.Gpio", "DemoApp"], apps["ota_0"].GetProperty("assemblies").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("3.0.0", apps["ota_1"].GetProperty("release").GetString());
    }

    [Fact]
    public void TheDemoAppsInteropChecksumIsTheGeneratedOne()
    {
        // The demo's NfOta.Interop.pe must need what nf-ota's native component really provides.
        var generated = File.ReadAllText(Path.Combine(RepoPaths.Root, "native", "nf_ota", "nanoclr", "NfOta_Interop.cpp"));
        Assert.Contains($"0x{NfOta.Cli.Demo.DemoApps.InteropChecksum:X8},", generated);
    }

    [Fact]
    public void JsonReportsTheRows()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("demo", "--out", dir.Path, "--json").ExitCode);
        // Its own folder from an earlier run is taken again.
        var result = CliRunner.Run("demo", "--out", dir.Path, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("asExpected").GetBoolean());
        // Text as written ('+' is not \u002B) and flash time as seconds, a number.
        Assert.Contains("\"firmware + app 2.0.0, reboot\"", result.Out);
        Assert.DoesNotContain("\\u002B", result.Out);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["1.0.0", "1.1.0", "1.1.0", "2.0.0", "2.0.0", "2.0.0", "2.0.0", "3.0.0", "2.0.0"], rows.Select(r => r.GetProperty("version").GetString()));
        Assert.Equal(["VALID", "PENDING_VERIFY", "VALID", "PENDING_VERIFY", "VALID", "VALID", "VALID", "PENDING_VERIFY", "VALID"], rows.Select(r => r.GetProperty("state").GetString()));
        // The app-only update downloaded the app and nothing else.
        Assert.Equal(new FileInfo(dir["releases/nfota-demo-1.1.0.app"]).Length, rows[1].GetProperty("bytes").GetInt64());
        Assert.Equal(JsonValueKind.Number, rows[1].GetProperty("flashSeconds").ValueKind);
        Assert.InRange(rows[1].GetProperty("flashSeconds").GetDouble(), 0.5, 60);
        Assert.Equal(0, rows[0].GetProperty("flashSeconds").GetDouble());
        Assert.Equal(new FileInfo(dir["releases/nfota-demo-2.0.0.bin"]).Length + new FileInfo(dir["releases/nfota-demo-2.0.0.app"]).Length, rows[3].GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void RefusesAFolderWithKeysOrReleasesItDidNotMake()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        Directory.CreateDirectory(dir["releases"]);
        File.WriteAllText(dir["releases/latest.manifest"], "a real release");
        var key = File.ReadAllText(dir["keys/manifest-key.pem"]);

        var result = CliRunner.Run("demo", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[folder-in-use]", Assert.Single(result.ErrorLines));
        Assert.Equal(key, File.ReadAllText(dir["keys/manifest-key.pem"]));
        Assert.Equal(["keys/manifest-key.pem", "keys/manifest-key.pub.pem", "releases/latest.manifest"], dir.Files);
    }

    [Fact]
    public void AMarkedFolderStillKeepsKeysAndReleasesTheDemoDidNotWrite()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("demo", "--out", dir.Path, "--json").ExitCode);
        Assert.Equal(0, CliRunner.Run("demo", "--out", dir.Path, "--json").ExitCode); // its own files: replaced

        // The issue's story: the demo's keys and releases deleted, real ones made in their place.
        Directory.Delete(dir["keys"], recursive: true);
        Directory.Delete(dir["releases"], recursive: true);
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["app.bin"], NfOta.Esp32.Tests.TestImages.Build(NfOta.Esp32.Chips.EspChip.Esp32, "4.0.0"));
        Assert.Equal(0, CliRunner.Run("pack", dir["app.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/", "--out", dir["releases"]).ExitCode);
        var before = dir.Files.ToDictionary(f => f, f => File.ReadAllBytes(dir[f]));

        var result = CliRunner.Run("demo", "--out", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[folder-in-use]", Assert.Single(result.ErrorLines));
        Assert.Equal(before.Keys, dir.Files);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(dir[f.Key])));
    }

    [Fact]
    public void AnEmptyOrFileOutIsOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["a-file"], "mine");
        foreach (var output in new[] { "", dir["a-file"] })
        {
            var result = CliRunner.Run("demo", "--out", output);
            Assert.Equal(2, result.ExitCode);
            Assert.EndsWith("[invalid-argument]", Assert.Single(result.ErrorLines));
        }
        Assert.Equal(["a-file"], dir.Files);
    }
}
