using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;
using NfOta.McuBoot.Writing;

namespace NfOta.McuBoot.Tests;

/// <summary>
/// The imgtool sign command behind each vector (tests/vectors/mcuboot-images/README.md), as
/// <see cref="SignOptions"/>: the input file, whether it was signed, and the options.
/// </summary>
public static class ImgtoolSignings
{
    public static (string Input, bool Signed, SignOptions Options) Of(string name) => name switch
    {
        // imgtool sign -k key-ec256.pem --align 4 -v 1.0.0 -H 0x20 --pad-header -S 0x1a0000 plain-1000.bin
        "ec256-h20-1000" => ("plain-1000.bin", true, Options("1.0.0", 0x20, 0x1a0000)),
        // ... -v 1.2.3+4 -H 0x200 --pad-header -S 0x1a0000 plain-65549.bin
        "ec256-h200-65549" => ("plain-65549.bin", true, Options("1.2.3+4", 0x200, 0x1a0000)),
        // ... -v 2.0.0 -H 0x200 --pad-header -S 0x80000 -d "(0,1.5.0+0)" plain-65549.bin
        "ec256-dep-65549" => ("plain-65549.bin", true, Options("2.0.0", 0x200, 0x80000) with { Dependencies = ImageDependency.ParseList("(0,1.5.0+0)") }),
        // imgtool sign --align 4 -v 1.0.0 -H 0x200 --pad-header -S 0x1a0000 plain-1000.bin (no key)
        "unsigned-1000" => ("plain-1000.bin", false, Options("1.0.0", 0x200, 0x1a0000)),
        _ => throw new ArgumentException(name),
    };

    public static byte[] Input(string name) => File.ReadAllBytes(Path.Combine(ImgtoolVectors.Root, Of(name).Input));

    private static SignOptions Options(string version, int headerSize, uint slotSize) => new()
    {
        Version = ImageVersion.Parse(version),
        HeaderSize = headerSize,
        PadHeader = true,
        Align = 4,
        SlotSize = slotSize,
    };
}
