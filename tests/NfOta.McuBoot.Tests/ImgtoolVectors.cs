using NfOta.McuBoot.Signing;

namespace NfOta.McuBoot.Tests;

/// <summary>Images made by MCUboot's imgtool 2.3.0 (tests/vectors/mcuboot-images/README.md).</summary>
public static class ImgtoolVectors
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "vectors", "mcuboot-images");

    /// <summary>Every image imgtool signed or hashed, each with its <c>imgtool dumpinfo</c> output.</summary>
    public static IReadOnlyList<string> Valid { get; } =
        ["ec256-h20-1000", "ec256-h200-65549", "ec256-dep-65549", "unsigned-1000"];

    public static IReadOnlyList<string> Signed { get; } = Valid.Where(n => n.StartsWith("ec256-", StringComparison.Ordinal)).ToList();

    public static TheoryData<string> ValidTheory() => new(Valid);

    public static TheoryData<string> SignedTheory() => new(Signed);

    public static byte[] Image(string name) => File.ReadAllBytes(Path.Combine(Root, name + ".bin"));

    public static DumpInfo Dump(string name) => DumpInfo.Parse(File.ReadAllLines(Path.Combine(Root, name + ".dumpinfo.yaml")));

    public static Ec256Key Key() => Ec256Key.FromPem(File.ReadAllText(Path.Combine(Root, "key-ec256.pem")));

    /// <summary>The signing key itself (imgtool keygen's private key file).</summary>
    public static Ec256Signer Signer() => Ec256Signer.FromPem(File.ReadAllText(Path.Combine(Root, "key-ec256.pem")));

    public static Ec256Key OtherKey() => Ec256Key.FromPem(File.ReadAllText(Path.Combine(Root, "key-ec256-other.pem")));

    /// <summary>verify.tsv: image, key, and the last line imgtool verify printed.</summary>
    public static IReadOnlyList<(string Image, string Key, string Outcome)> VerifyOutcomes() =>
        File.ReadAllLines(Path.Combine(Root, "verify.tsv"))
            .Select(line => line.Split('\t'))
            .Select(f => (Path.GetFileNameWithoutExtension(f[0]), f[1], f[2]))
            .ToList();
}
