using NfOta.Cli.Cli;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Cli.Commands;

/// <summary>
/// What <c>keys new --secure-boot</c> and <c>secure-boot digest --out</c> print after the digest:
/// the espefuse command that burns it, for each chip whose ROM verifies the key's scheme.
/// </summary>
public static class DigestBurnGuide
{
    public static IReadOnlyList<DigestBurning.Burn> Burns(SecureBootScheme scheme, string keyFile, string digestFile) =>
        DigestBurning.For(scheme, ShellWord.Quote(keyFile), ShellWord.Quote(digestFile));

    /// <summary>The lines to print (escaped for the terminal).</summary>
    public static IEnumerable<string> Lines(SecureBootScheme scheme, string keyFile, string digestFile)
    {
        var burns = Burns(scheme, keyFile, digestFile);
        if (burns.Count == 0)
        {
            var takers = Enum.GetValues<SecureBootScheme>().Where(s => s != SecureBootScheme.None)
                .Select(s => (Scheme: s, Chips: EspChip.All.Where(c => c.SecureBootSchemes.HasFlag(s)).Select(c => c.DisplayName).ToList()))
                .Where(t => t.Chips.Count > 0).Select(t => $"{t.Scheme}: {string.Join(", ", t.Chips)}");
            yield return $"no chip nf-ota knows verifies {scheme} secure boot v2 signatures, so there is no eFuse to burn this digest into ({string.Join("; ", takers)})";
            yield break;
        }
        yield return "burn it into eFuse with espefuse (esptool v5; eFuse bits cannot be cleared), by chip:";
        var width = burns.Max(b => b.Chip.DisplayName.Length) + 1;
        foreach (var burn in burns)
        {
            var note = burn.Note is null ? "" : $"   ({burn.Note})";
            yield return TerminalText.Escape($"  {(burn.Chip.DisplayName + ":").PadRight(width)} {burn.Command}{note}");
        }
        if (burns.Any(b => b.Command.Contains(DigestBurning.KeyBlock, StringComparison.Ordinal)))
        {
            yield return TerminalText.Escape($"  ({DigestBurning.KeyBlock}, or another free key block; SECURE_BOOT_DIGEST1 or 2 for a second or third key; "
                + $"burn-key-digest {DigestBurning.KeyBlock} {ShellWord.Quote(keyFile)} SECURE_BOOT_DIGEST0 burns the same digest from the key)");
        }
    }
}
