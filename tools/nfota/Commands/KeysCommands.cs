using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.SecureBoot;
using NfOta.Packaging;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota keys new</c>: the manifest signing key pair and, optionally, a secure boot v2 key.</summary>
public static class KeysCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("keys", "Create release keys.");
        group.Add(New(context));
        group.Add(DevicePartition(context));
        return group;
    }

    private static Command DevicePartition(CliContext context)
    {
        var key = new Option<string>("--device-key") { Description = "The board's device key: its private PEM (device-key.pem from keys new --device-key).", Required = true };
        var output = new Option<string>("--out") { Description = "The 4 KiB partition image to write (owner-only: it holds the private key).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var command = new Command("device-partition", $"""
            Write the image of the {DeviceKeyPartition.Label} partition that holds a board's device key for pre-encrypted
            releases. Flash it at the partition's offset with the board's other images, before the first boot:
            the partition is flagged encrypted, so the bootloader encrypts it in place and only the firmware
            reads it back. nf-ota's partition tables have it (type 0x{DeviceKeyPartition.Type:X2}, subtype 0x{DeviceKeyPartition.Subtype:X2}, 4 KiB).
            """) { key, output, force };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(key));
            if (File.Exists(outPath) && !parse.GetValue(force))
            {
                throw new CliException("file-exists", $"'{outPath}' exists: another board's key may be in it; use --force to replace it");
            }
            using var deviceKey = DeviceKey.FromPem(InputFile.ReadAllText(parse.GetRequiredValue(key), "device key", InputLimit.Key));
            DeviceKeyGuard.RefuseSigningKey(deviceKey, parse.GetRequiredValue(key));
            var image = DeviceKeyPartition.Build(deviceKey);
            AtomicFile.Write(outPath, image, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            context.Out.WriteLine($"wrote {TerminalText.Escape(outPath)}: the {deviceKey.Scheme} device key as the {DeviceKeyPartition.Label} partition (private, owner-only: flash it, then delete it)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command New(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder for the keys (created if missing).", Required = true };
        var secureBoot = new Option<string?>("--secure-boot") { Description = "Also create a secure boot v2 signing key: rsa3072 (ESP32, ESP32-S2/S3/C3/C6/H2), ecdsa256 (ESP32-C2/C6/H2) or ecdsa384 (espsecure's P-384 scheme, which none of these chips verifies)." };
        secureBoot.AcceptOnlyFromAmong(KeyFiles.SecureBootSchemes);
        var deviceKey = new Option<string?>("--device-key")
        {
            Description = "Also create a device key for pre-encrypted images (esp_encrypted_img): rsa3072, or ecies-p256 " +
                "(a 32-byte HMAC key to burn into an eFuse key block; the P-256 key the device derives from it).",
        };
        deviceKey.AcceptOnlyFromAmong(KeyFiles.DeviceKeySchemes);
        var force = new Option<bool>("--force") { Description = "Replace the keys asked for if the folder has them (devices that trust the old ones will refuse new releases). With --secure-boot or --device-key, an existing manifest key is kept, forced or not." };
        var json = new Option<bool>("--json") { Description = "Print file names and public values as JSON." };
        var command = new Command("new", """
            Create an ECDSA P-256 manifest signing key pair (manifest-key.pem, owner-only; manifest-key.pub.pem),
            and with --secure-boot a secure boot v2 key pair (secure-boot-key.pem, owner-only; secure-boot-key.pub.pem)
            and its public key digest (secure-boot-key.digest.bin, 32 bytes). Lists every file it writes and
            prints only public values: the 65-byte public key to build into the app, the secure boot key
            digest, and the espefuse command that burns it into eFuse on each chip that verifies the key.
            With --device-key, a device key for pre-encrypted images: device-key.pub.pem for encrypt-image,
            device-key.pem (owner-only) for decrypt-image, and for ecies-p256 device-key.hmac.bin (owner-only).
            With --secure-boot or --device-key on a folder that has a manifest key, that key is kept and the new one added.
            """) { output, secureBoot, deviceKey, force, json };
        command.SetAction(parse =>
        {
            var directory = parse.GetRequiredValue(output);
            var manifest = ManifestKeyFor(directory, adding: parse.GetValue(secureBoot) is not null || parse.GetValue(deviceKey) is not null);
            using var _ = manifest.Key;
            using var keys = NewKeys.Make(directory, manifest, parse.GetValue(secureBoot), parse.GetValue(deviceKey));
            KeyFiles.WritePairs(directory, keys.Pairs, parse.GetValue(force), keys.PrivateFiles, keys.PublicFiles);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(keys.Json()));
            }
            else
            {
                keys.Print(context.Out);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The manifest key: a new one, or, when another key is being added (--secure-boot, --device-key)
    /// to a folder that already has one, that one, kept. Adding a key never replaces another, not
    /// even with --force: devices trust the manifest key, so only a plain "keys new --force" replaces it.
    /// A folder with only the public half (the private key kept offline) keeps that half: no new
    /// manifest key is made beside it.
    /// </summary>
    private static (ManifestKey Key, bool Kept, bool PrivateHere) ManifestKeyFor(string directory, bool adding)
    {
        var existing = Path.Combine(directory, KeyFiles.ManifestPrivate);
        var existingPublic = Path.Combine(directory, KeyFiles.ManifestPublic);
        if (adding && File.Exists(existing)) return (ManifestKey.Load(existing), true, true);
        if (adding && File.Exists(existingPublic)) return (ManifestKey.Load(existingPublic), true, false);
        return (ManifestKey.Create(), false, true);
    }

    /// <summary>The key as a C# array initializer to paste into the app.</summary>
    internal static string CSharpBytes(byte[] bytes)
    {
        var lines = bytes.Chunk(16).Select(row => "    " + string.Join(", ", row.Select(b => $"0x{b:X2}")) + ",");
        return "new byte[] {\n" + string.Join('\n', lines) + "\n}";
    }
}
