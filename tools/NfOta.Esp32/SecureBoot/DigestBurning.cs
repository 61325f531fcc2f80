using NfOta.Esp32.Chips;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// How espefuse (esptool v5) puts a secure boot v2 public key digest into a chip's eFuses. Checked
/// against esptool v5.3.1's espefuse (the esptool release of the espsecure that made the vectors):
/// <list type="bullet">
/// <item>ESP32 has one digest, in BLOCK2. Its <c>burn-key-digest</c> takes only the key file (PEM,
/// public or private), computes the digest itself, and refuses chips before revision v3.0.</item>
/// <item>ESP32-C2 has one key block. Its <c>burn-key-digest</c> takes only the key file and burns
/// the digest's first 16 bytes into BLOCK_KEY0's upper half (key purpose SECURE_BOOT_DIGEST).</item>
/// <item>ESP32-S2, S3, C3, C6 and H2 keep up to three digests in key blocks, each with a key purpose
/// SECURE_BOOT_DIGEST0..2. <c>burn-key BLOCK FILE PURPOSE</c> burns a 32-byte file as it is (only
/// XTS-AES purposes are byte-reversed); <c>burn-key-digest BLOCK KEYFILE PURPOSE</c> computes the
/// digest from the PEM and does the same.</item>
/// </list>
/// </summary>
public static class DigestBurning
{
    /// <summary>One chip's espefuse command line, and what to know before running it (null: nothing).</summary>
    public sealed record Burn(EspChip Chip, string Command, string? Note);

    /// <summary>The key block the commands name; any free key block will do.</summary>
    public const string KeyBlock = "BLOCK_KEY0";

    /// <summary>The commands for every chip whose ROM verifies <paramref name="scheme"/>, in <see cref="EspChip.All"/>'s order.</summary>
    /// <param name="keyFile">The key's PEM (public or private), as it should appear in the command.</param>
    /// <param name="digestFile">The 32-byte digest file, as it should appear in the command.</param>
    public static IReadOnlyList<Burn> For(SecureBootScheme scheme, string keyFile, string digestFile) =>
        [.. EspChip.All.Where(c => c.SecureBootSchemes.HasFlag(scheme)).Select(c => For(c, keyFile, digestFile))];

    public static Burn For(EspChip chip, string keyFile, string digestFile)
    {
        if (chip == EspChip.Esp32)
        {
            return new(chip, $"espefuse --chip {chip.Name} burn-key-digest {keyFile}", "revision v3.0 or later, coding scheme None; it computes the digest from the key");
        }
        if (chip == EspChip.Esp32C2)
        {
            return new(chip, $"espefuse --chip {chip.Name} burn-key-digest {keyFile}", "it burns the digest's first 16 bytes, the upper half of BLOCK_KEY0, the chip's one key block");
        }
        return new(chip, $"espefuse --chip {chip.Name} burn-key {KeyBlock} {digestFile} SECURE_BOOT_DIGEST0", null);
    }
}
