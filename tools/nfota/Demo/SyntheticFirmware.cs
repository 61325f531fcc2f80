using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Cli.Demo;

/// <summary>
/// Firmware for the demo: well-formed app images laid out as ESP-IDF builds them (DROM, IROM and
/// IRAM segments, esp_app_desc_t, appended SHA-256), signed for secure boot v2. The code bytes are
/// random; nothing runs them, but the bootloader and esp_ota_end check them all. The read-only
/// data carries the firmware's native assembly table in nf-ota's marker form, where the emulated
/// nanoCLR (and nfota pack) read it.
/// </summary>
public static class SyntheticFirmware
{
    public static byte[] Build(EspChip chip, string version, SecureBootKey key, int codeBytes = 320 * 1024, NfOta.NanoFramework.NativeAssemblyTable? natives = null)
    {
        var random = new Random(version.Aggregate(17, (h, c) => h * 31 + c));
        var code = new byte[codeBytes];
        var rodata = new byte[8 * 1024];
        var iram = new byte[2 * 1024];
        random.NextBytes(code);
        random.NextBytes(rodata);
        natives?.Embed().CopyTo(rodata, 0);
        random.NextBytes(iram);
        var builder = new AppImageBuilder(chip)
        {
            EntryAddress = chip.Irom.Start + 0x100,
            Description = new AppDescription
            {
                Version = version,
                ProjectName = "nfota-demo",
                Time = "12:00:00",
                Date = "Nov 25 2026",
                IdfVersion = "v5.5",
                AppElfSha256 = SHA256.HashData(code),
            },
        };
        builder.AddSegment(chip.Drom.Start + 0x20, rodata);
        builder.AddSegment(chip.Irom.Start + 0x20, code);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, iram);
        return SecureBootV2.Sign(builder.Build(), key);
    }
}
