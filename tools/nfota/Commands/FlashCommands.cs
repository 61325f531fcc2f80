using NfOta.Packaging;
using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota flash encrypt|decrypt</c>: espsecure-compatible flash encryption of a file.</summary>
public static class FlashCommands
{
    public static Command Create(CliContext context)
    {
        var flash = new Command("flash", "Encrypt or decrypt data the way the chip's flash-encryption hardware does.");
        flash.Add(Operation(context, "encrypt", "Encrypt plaintext as it would be stored at a flash address (espsecure encrypt-flash-data).", encrypt: true));
        flash.Add(Operation(context, "decrypt", "Decrypt data read from a flash address (espsecure decrypt-flash-data).", encrypt: false));
        return flash;
    }

    private static Command Operation(CliContext context, string name, string description, bool encrypt)
    {
        var chip = new Option<string>("--chip")
        {
            Description = $"Target chip: {string.Join(", ", EspChip.All.Select(c => c.Name))}. ESP32 uses AES-256 with a per-block key tweak, the others XTS-AES.",
            Required = true,
        };
        var key = new Option<string>("--key")
        {
            Description = "Flash encryption key file: 24 or 32 bytes for esp32; 16 (SHA-256 extended), 32 (XTS-AES-128) or 64 (XTS-AES-256) for the others.",
            Required = true,
        };
        var address = new Option<string>("--address")
        {
            Description = "Flash address of the first byte, decimal or 0x hex; a multiple of 16.",
            Required = true,
        };
        var conf = new Option<string?>("--flash-crypt-conf")
        {
            Description = "esp32 only: the FLASH_CRYPT_CONFIG eFuse value 0..15 (default 0xF, every key bit tweaked).",
        };
        var input = new Option<string>("--in") { Description = "Input file; its length must be a multiple of 16.", Required = true };
        var output = new Option<string>("--out") { Description = "Output file (written only if the whole operation succeeds).", Required = true };

        var includeDeviceKey = new Option<bool>("--include-device-key")
        {
            Description = "decrypt only: keep the board's device private key (the nfota_key partition) in the output, written owner-only (0600); by default it is blanked to 0xFF, and data starting inside a sector without the partition table is refused (it may start inside the key).",
        };
        var command = new Command(name, description) { chip, key, address, conf, input, output };
        if (!encrypt) command.Add(includeDeviceKey);
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input), parse.GetRequiredValue(key));
            var espChip = EspChip.Parse(parse.GetRequiredValue(chip));
            var keyBytes = Values.ReadFile(parse.GetRequiredValue(key), "key file", InputLimit.Key);
            var flashAddress = Values.ParseUInt32(parse.GetRequiredValue(address), "address");
            var confText = parse.GetValue(conf);
            var cryptConf = FlashCipher.DefaultFlashCryptConfig;
            if (confText is not null)
            {
                if (espChip.Encryption != FlashEncryptionScheme.Esp32AesTweak)
                {
                    throw new CliException("invalid-argument",
                        $"--flash-crypt-conf applies to esp32 only; {espChip.Name} uses XTS-AES, which has no such eFuse");
                }
                var value = Values.ParseUInt32(confText, "--flash-crypt-conf");
                if (value > 15) throw new CliException("invalid-argument", $"--flash-crypt-conf is a 4-bit eFuse (0..15), not {value}");
                cryptConf = (int)value;
            }
            var data = Values.ReadFile(parse.GetRequiredValue(input), "input file", InputLimit.FlashData);

            using var cipher = FlashCipher.Create(espChip, keyBytes, cryptConf);
            var result = new byte[data.Length];
            if (encrypt)
            {
                cipher.Encrypt(data, result, flashAddress);
                AtomicFile.Write(outPath, result);
            }
            else
            {
                cipher.Decrypt(data, result, flashAddress);
                WriteDecrypted(context, outPath, result, flashAddress, parse.GetValue(includeDeviceKey));
            }
            context.Out.WriteLine($"{(encrypt ? "encrypted" : "decrypted")} {data.Length} bytes at 0x{flashAddress:X} for {espChip.DisplayName}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A decrypted dump holds the device key in plaintext: blanked unless asked for, and then the
    /// file is written owner-only, as keys new writes private keys.
    /// </summary>
    private static void WriteDecrypted(CliContext context, string outPath, byte[] plaintext, uint address, bool includeDeviceKey)
    {
        // Data that starts inside a sector, without the table, may start inside the key partition past
        // its magic: nothing tells, so it is refused rather than guessed at (a key's bytes can start anywhere).
        var unknown = DeviceKeyRedaction.UnknownLeadingSector(plaintext, address);
        if (unknown is { } partial && !includeDeviceKey)
        {
            var sector = address / 0x1000 * 0x1000;
            throw new CliException("device-key-possible",
                $"the data starts at 0x{address:X}, {address - sector} bytes into the 4 KiB sector at 0x{sector:X}, and holds no partition table: " +
                $"its first {partial.Length} bytes may be the board's device private key ({DeviceKeyPartition.Label}) past its magic; " +
                $"decrypt from 0x{sector:X} (the key is then found and blanked), or pass --include-device-key to keep them in an owner-only file");
        }
        var keys = includeDeviceKey ? DeviceKeyRedaction.Find(plaintext, address) : DeviceKeyRedaction.Blank(plaintext, address);
        var ownerOnly = includeDeviceKey && (keys.Count > 0 || unknown is not null);
        AtomicFile.Write(outPath, plaintext, ownerOnly ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null);
        if (unknown is { } kept)
        {
            context.Out.WriteLine($"kept 0x{kept.Address:X}, {kept.Length} bytes, which may be the board's device private key ({DeviceKeyPartition.Label}): the output is owner-only (0600)");
        }
        foreach (var range in keys)
        {
            context.Out.WriteLine(includeDeviceKey
                ? $"kept the board's device private key ({DeviceKeyPartition.Label}) at 0x{range.Address:X}, {range.Length} bytes: the output is owner-only (0600)"
                : $"blanked the board's device private key ({DeviceKeyPartition.Label}) at 0x{range.Address:X}, {range.Length} bytes, to 0xFF; --include-device-key keeps it");
        }
    }
}
