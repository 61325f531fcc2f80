using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;

namespace NfOta.Esp32.Tests;

/// <summary>Synthetic but well-formed app images, laid out like ESP-IDF builds them.</summary>
public static class TestImages
{
    public static byte[] Build(EspChip chip, string version = "1.0.0", uint secureVersion = 0, int codeBytes = 4000, bool appendHash = true, int seed = 1)
    {
        var random = new Random(seed);
        var rodata = new byte[512];
        var code = new byte[codeBytes];
        var iram = new byte[256];
        random.NextBytes(rodata);
        random.NextBytes(code);
        random.NextBytes(iram);
        var builder = new AppImageBuilder(chip)
        {
            EntryAddress = chip.Irom.Start + 0x100,
            AppendHash = appendHash,
            Description = new AppDescription
            {
                Version = version,
                ProjectName = "nf-ota-test",
                Time = "12:00:00",
                Date = "Nov 25 2026",
                IdfVersion = "v5.3.1",
                SecureVersion = secureVersion,
                AppElfSha256 = SHA256.HashData(code),
            },
        };
        builder.AddSegment(chip.Drom.Start + 0x20, rodata);
        builder.AddSegment(chip.Irom.Start + 0x20, code);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, iram);
        return builder.Build();
    }
}
