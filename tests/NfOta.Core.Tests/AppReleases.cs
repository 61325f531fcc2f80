using NfOta.Esp32.OtaData;
using System.Security.Cryptography;
using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;
using NfOta.NanoFramework;
using NfOta.Packaging;

namespace NfOta.Core.Tests;

/// <summary>
/// nanoFramework releases for tests: firmware images that carry a native assembly table (in their
/// first segment, where the emulated nanoCLR reads it) and apps of small .pe files (PeWriter):
/// "mscorlib", "NfOta.Interop" and "App", whose version names the release.
/// </summary>
internal static class AppReleases
{
    public const uint Corlib = 0x1549C856;
    public const uint Interop = 0x2B3B2E87;
    public const uint Gpio = 0x4D8A1F60;

    /// <summary>Two OTA slots and a 16 KiB deploy partition each (three app sectors and the record's), so every mutation can be cut.</summary>
    public const string SmallPairedCsv = """
        nvs,      data, nvs,     0x9000,   0x4000,
        otadata,  data, ota,     0xd000,   0x2000,
        phy_init, data, phy,     0xf000,   0x1000,
        ota_0,    app,  ota_0,   0x10000,  0x100000,
        ota_1,    app,  ota_1,   0x110000, 0x100000,
        deploy_0, data, 0x84,    0x210000, 0x4000,  encrypted
        deploy_1, data, 0x84,    0x214000, 0x4000,  encrypted
        """;

    public static NativeAssemblyTable Natives(bool gpio) => new(gpio
        ? [new("mscorlib", Corlib), new("NfOta.Interop", Interop), new("System.Device.Gpio", Gpio)]
        : [new("mscorlib", Corlib), new("NfOta.Interop", Interop)]);

    /// <summary>A signed firmware image whose native table is <see cref="Natives"/>(<paramref name="gpio"/>).</summary>
    public static byte[] Firmware(EspChip chip, string version, bool gpio, int codeBytes = 2000, uint secureVersion = 0)
    {
        var table = Natives(gpio).Embed();
        var rodata = new byte[(table.Length + 64 + 3) & ~3];
        table.CopyTo(rodata, 0);
        var code = new byte[codeBytes];
        new Random(version.GetHashCode()).NextBytes(code);
        var builder = new AppImageBuilder(chip)
        {
            Description = new AppDescription { Version = version, ProjectName = "nf-app-test", SecureVersion = secureVersion, AppElfSha256 = SHA256.HashData(code) },
            EntryAddress = chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u,
        };
        builder.AddSegment(chip.Drom.Start + 0x20, rodata);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, code);
        return SecureBootV2.Sign(builder.Build(), Boards.SigningKey);
    }

    /// <summary>An app: mscorlib and NfOta.Interop with the given native checksums, System.Device.Gpio with <paramref name="gpio"/>, and App <paramref name="version"/>.</summary>
    public static AppPart App(string version, bool gpio = false, uint interop = Interop, int codeBytes = 600, int gpioBytes = 100)
    {
        var v = Version.Parse(version);
        var corlibVersion = new Version(1, 17, 11, 0);
        var files = new List<(string, byte[])>
        {
            ("mscorlib.pe", PeWriter.Write("mscorlib", corlibVersion, Corlib, [], 200, seed: 1)),
            ("NfOta.Interop.pe", PeWriter.Write("NfOta.Interop", new Version(1, 0, 0, 0), interop, [("mscorlib", corlibVersion)], 100, seed: 2)),
        };
        var refs = new List<(string, Version)> { ("mscorlib", corlibVersion), ("NfOta.Interop", new Version(1, 0, 0, 0)) };
        if (gpio)
        {
            files.Add(("System.Device.Gpio.pe", PeWriter.Write("System.Device.Gpio", new Version(1, 1, 0, 0), Gpio, [("mscorlib", corlibVersion)], gpioBytes, seed: 3)));
            refs.Add(("System.Device.Gpio", new Version(1, 1, 0, 0)));
        }
        files.Add(("App.pe", PeWriter.Write("App", v, 0, refs, codeBytes, seed: v.GetHashCode())));
        return AppPart.FromFiles(files);
    }

    /// <summary>A secured board with paired deploy partitions: firmware 1.0.0 in ota_0, app 1.0.0 in deploy_0.</summary>
    public static DeviceSpec Spec(EspChip chip, string csv = DeviceSpec.PairedCsv) => Boards.Spec(chip) with
    {
        PartitionCsv = csv,
        Images = new Dictionary<string, byte[]> { ["ota_0"] = Firmware(chip, "1.0.0", gpio: false), ["deploy_0"] = App("1.0.0").Image },
    };

    /// <summary>null when the board runs this slot, in this otadata state, with exactly this firmware + app pair; else what differs.</summary>
    public static string? Runs(VirtualEsp32 b, string slot, string pair, OtaImageState state)
    {
        var running = $"{Pair(b)} from {b.RunningPartition!.Label}";
        if (running != $"{pair} from {slot}") return $"runs {running}, expected {pair} from {slot}";
        var err = b.Ota!.GetStatePartition(b.RunningPartition, out var actual);
        return err == EspErr.ESP_OK && actual == state ? null : $"runs in state {(err == EspErr.ESP_OK ? actual : err)}, expected {state}";
    }

    /// <summary>"firmware version + App version", what the board booted, or why no app started.</summary>
    public static string Pair(VirtualEsp32 board)
    {
        var firmware = board.RunningVersion();
        var app = board.App;
        if (app is null) return $"{firmware} + no nanoCLR";
        if (!app.Started) return $"{firmware} + app not started ({string.Join("; ", app.Problems.Select(p => p.Code))})";
        return $"{firmware} + {app.Assembly("App")?.Version.ToString(3) ?? "no App"}";
    }
}
