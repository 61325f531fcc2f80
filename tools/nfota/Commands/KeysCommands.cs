using System.CommandLine;
using NfOta.Cli.Cli;
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
        return group;
    }

    private static Command New(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder for the keys (created if missing).", Required = true };
        var secureBoot = new Option<string?>("--secure-boot") { Description = "Also create a secure boot v2 signing key: rsa3072 (ESP32, ESP32-S2/S3/C3/C6/H2), ecdsa256 or ecdsa384 (ESP32-C2/C6/H2)." };
        secureBoot.AcceptOnlyFromAmong(KeyFiles.SecureBootSchemes);
        var force = new Option<bool>("--force") { Description = "Replace keys already in the folder (devices that trust the old ones will refuse new releases)." };
        var json = new Option<bool>("--json") { Description = "Print file names and public values as JSON." };
        var command = new Command("new", """
            Create an ECDSA P-256 manifest signing key pair (manifest-key.pem, owner-only; manifest-key.pub.pem),
            and with --secure-boot a secure boot v2 key (secure-boot-key.pem). Prints only public values:
            the 65-byte public key to build into the app, and the secure boot key digest to burn into eFuse.
            """) { output, secureBoot, force, json };
        command.SetAction(parse =>
        {
            var directory = parse.GetRequiredValue(output);
            using var manifestKey = ManifestKey.Create();
            var pairs = new List<KeyFiles.KeyPair> { new(KeyFiles.ManifestPrivate, manifestKey.PrivateKeyPem(), KeyFiles.ManifestPublic, manifestKey.PublicKeyPem()) };
            var publicKey = manifestKey.PublicKeyBytes();
            string? digest = null;
            if (parse.GetValue(secureBoot) is { } scheme)
            {
                var pem = KeyFiles.NewSecureBootPem(scheme);
                using var sbKey = SecureBootKey.FromPem(pem);
                pairs.Add(new(KeyFiles.SecureBootPrivate, pem, KeyFiles.SecureBootPublic, KeyFiles.PublicPemOf(sbKey, pem)));
                digest = Convert.ToHexStringLower(SecureBootV2.PublicKeyDigest(sbKey));
            }
            KeyFiles.WritePairs(directory, pairs, parse.GetValue(force));

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Json.Serialize(new
                {
                    manifestPrivateKey = Path.Combine(directory, KeyFiles.ManifestPrivate),
                    manifestPublicKey = Path.Combine(directory, KeyFiles.ManifestPublic),
                    manifestPublicKeyHex = Convert.ToHexStringLower(publicKey),
                    secureBootPrivateKey = digest is null ? null : Path.Combine(directory, KeyFiles.SecureBootPrivate),
                    secureBootKeyDigest = digest,
                }));
                return ExitCodes.Ok;
            }
            context.Out.WriteLine($"wrote {TerminalText.Escape(Path.Combine(directory, KeyFiles.ManifestPrivate))} (private, owner-only: keep it off devices and out of git)");
            context.Out.WriteLine($"wrote {TerminalText.Escape(Path.Combine(directory, KeyFiles.ManifestPublic))}");
            context.Out.WriteLine("manifest public key for the app (OtaUpdater's manifestPublicKey):");
            context.Out.WriteLine(CSharpBytes(publicKey));
            if (digest is not null)
            {
                context.Out.WriteLine($"wrote {TerminalText.Escape(Path.Combine(directory, KeyFiles.SecureBootPrivate))} (private, owner-only)");
                context.Out.WriteLine($"secure boot v2 public key digest (eFuse): {digest}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The key as a C# array initializer to paste into the app.</summary>
    internal static string CSharpBytes(byte[] bytes)
    {
        var lines = bytes.Chunk(16).Select(row => "    " + string.Join(", ", row.Select(b => $"0x{b:X2}")) + ",");
        return "new byte[] {\n" + string.Join('\n', lines) + "\n}";
    }
}
