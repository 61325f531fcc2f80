using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.Partitions;
using static NfOta.Emulator.Inspection.InspectionReport;

namespace NfOta.Emulator.Inspection;

/// <summary>
/// Tells, when the partition table does not parse, whether that is because the dump is
/// encrypted. With flash encryption on, the bootloader image and the table are ciphertext: no
/// image header (magic 0xE9 and the chip's id) at the bootloader offset, no table, yet not blank
/// flash either. Such a dump says nothing without the key that decrypts it, so the inspector
/// reports that alone instead of a prediction.
/// </summary>
internal static class DumpEncryption
{
    public const string NoKeyCode = "dump-encrypted";

    public const string WrongKeyCode = "key-does-not-decrypt";

    /// <summary>Why the dump cannot be read at all, or null when the table's failure is something else (damage, a wrong --table-offset).</summary>
    public static Finding? WhyUnreadable(byte[] dump, InspectionOptions options)
    {
        IReadOnlyList<EspChip> chips = options.Chip is { } chip ? [chip] : EspChip.All;
        var offset = options.PartitionTableOffset;
        if (chips.Any(c => BootloaderReads(dump, c, null))) return null; // a plaintext bootloader: not an encrypted board
        if (!LooksLikeCiphertext(dump, offset) || !chips.Any(c => LooksLikeCiphertext(dump, c.BootloaderOffset))) return null;
        var where = $"the bootloader header at {string.Join(" or ", chips.Select(c => $"0x{c.BootloaderOffset:X}").Distinct())} " +
            $"nor the partition table at 0x{offset:X}";
        if (options.Key is not { } key)
        {
            return new Finding("error", NoKeyCode,
                $"this dump is encrypted: give the flash-encryption key with --key (neither {where} reads as plaintext)");
        }
        if (chips.Any(c => KeyDecrypts(dump, c, key, options))) return null;
        return new Finding("error", WrongKeyCode,
            $"this key does not decrypt this dump: neither {where} decrypts with it (another board's key? check --chip, and --flash-crypt-conf on ESP32)");
    }

    private static bool BootloaderReads(byte[] dump, EspChip chip, IFlashCipher? cipher) =>
        FlashInspector.HeaderAt(dump, chip.BootloaderOffset, cipher) == chip.ChipId;

    /// <summary>Neither erased nor zeroed: the first 32 bytes are not all one value.</summary>
    private static bool LooksLikeCiphertext(byte[] dump, uint offset) =>
        (ulong)offset + 32 <= (ulong)dump.Length && dump.AsSpan((int)offset, 32).ContainsAnyExcept(dump[offset]);

    private static bool KeyDecrypts(byte[] dump, EspChip chip, byte[] key, InspectionOptions options)
    {
        IFlashCipher cipher;
        try
        {
            cipher = FlashCipher.Create(chip, key, options.FlashCryptConfig);
        }
        catch (Esp32FormatException)
        {
            return false; // a key length this chip cannot hold
        }
        using (cipher)
        {
            return BootloaderReads(dump, chip, cipher) || TableDecrypts(dump, options.PartitionTableOffset, cipher);
        }
    }

    private static bool TableDecrypts(byte[] dump, uint offset, IFlashCipher cipher)
    {
        if ((ulong)offset + PartitionTableBinary.MaxLength > (ulong)dump.Length) return false;
        var table = dump.AsSpan((int)offset, PartitionTableBinary.MaxLength).ToArray();
        cipher.Decrypt(table, table, offset);
        try
        {
            PartitionTableBinary.Parse(table);
            return true;
        }
        catch (Esp32FormatException)
        {
            return false;
        }
    }
}
