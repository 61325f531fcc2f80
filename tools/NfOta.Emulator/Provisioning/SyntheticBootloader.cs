using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Images;

namespace NfOta.Emulator.Provisioning;

/// <summary>
/// A stand-in second-stage bootloader: a well-formed image with IRAM and DRAM segments. The
/// emulator runs its own bootloader model; this image gives the bootloader region realistic
/// contents (so first-boot encryption and dumps look like a real board's).
/// </summary>
public static class SyntheticBootloader
{
    public static byte[] Build(EspChip chip)
    {
        var (iram, dram) = chip == EspChip.Esp32 ? (0x40078000u, 0x3FFF0000u) : (0x403CE000u, 0x3FCD6000u);
        var code = Deterministic("bootloader-text-" + chip.Name, 12 * 1024);
        var data = Deterministic("bootloader-data-" + chip.Name, 2 * 1024);
        var builder = new AppImageBuilder(chip) { EntryAddress = iram + 0x400, AppendHash = true };
        builder.AddSegment(dram, data);
        builder.AddSegment(iram, code);
        return builder.Build();
    }

    private static byte[] Deterministic(string seed, int length)
    {
        var bytes = new byte[length];
        var block = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        for (var i = 0; i < length; i += 32)
        {
            block = SHA256.HashData(block);
            block.AsSpan(0, Math.Min(32, length - i)).CopyTo(bytes.AsSpan(i));
        }
        return bytes;
    }
}
