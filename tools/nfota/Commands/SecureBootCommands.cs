using NfOta.Packaging;
using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.Errors;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota secure-boot sign|verify|digest</c>: espsecure-compatible secure boot v2.</summary>
public static class SecureBootCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("secure-boot", "Sign and verify images for secure boot v2 (RSA-3072-PSS, ECDSA P-256, ECDSA P-384).");
        group.Add(Sign(context));
        group.Add(Verify(context));
        group.Add(Digest(context));
        return group;
    }

    private static Option<string> KeyOption(string description) => new("--key") { Description = description, Required = true };

    internal static SecureBootKey LoadKey(string path) => SecureBootKey.FromPem(Values.ReadText(path, "key file", InputLimit.Key));

    private static Command Sign(CliContext context)
    {
        var key = KeyOption("Private signing key (PEM, as espsecure generate-signing-key --version 2 writes it).");
        var input = new Option<string>("--in") { Description = "Image to sign.", Required = true };
        var output = new Option<string>("--out") { Description = "Signed image: the input padded with 0xFF to 4 KiB, then a 4 KiB signature sector.", Required = true };
        var command = new Command("sign", "Append a secure boot v2 signature sector (espsecure sign-data --version 2); an already signed image gets one more block in its sector (up to 3 RSA blocks, as for key rotation).") { key, input, output };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input), parse.GetRequiredValue(key));
            using var signingKey = LoadKey(parse.GetRequiredValue(key));
            var data = Values.ReadFile(parse.GetRequiredValue(input), "input file", InputLimit.Image);
            if (data.Length == 0)
            {
                // An empty image signs to a lone signature sector that verifies: refuse it rather than release nothing.
                throw new CliException("input-empty", $"input file '{parse.GetRequiredValue(input)}' is empty: give the image to sign");
            }
            // The sector goes where the bootloader reads it: the image's end, not the file's.
            var (signed, alreadySigned) = ImageSigning.Sign(data, signingKey);
            AtomicFile.Write(outPath, signed);
            context.Out.WriteLine(alreadySigned
                ? $"added a {signingKey.Scheme} signature block to the existing signature sector; wrote {signed.Length} bytes"
                : $"signed {data.Length} bytes with {signingKey.Scheme}; wrote {signed.Length} bytes");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var key = KeyOption("Public or private key (PEM) to verify with.");
        var file = new Argument<string>("FILE") { Description = "Signed image (a multiple of 4 KiB, signature sector last)." };
        var command = new Command("verify", "Check a signed image; exit 0 only when a signature verifies (espsecure verify-signature --version 2).") { key, file };
        command.SetAction(parse =>
        {
            using var verifyingKey = LoadKey(parse.GetRequiredValue(key));
            var data = Values.ReadFile(parse.GetRequiredValue(file), "signed image", InputLimit.Image);
            var result = SecureBootV2.VerifyWithKey(data, verifyingKey);
            if (!result.Valid)
            {
                throw new CliException(result.Error!.Value.ToCode(), $"signature is not valid: {result.Message}", ExitCodes.Rejected);
            }
            context.Out.WriteLine($"valid: {result.Message}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Digest(CliContext context)
    {
        var key = KeyOption("Public or private key (PEM).");
        var output = new Option<string?>("--out")
        {
            Description = "Also write the digest, 32 bytes, to this file (as espsecure digest-sbv2-public-key --output does; an existing file is replaced), " +
                "and print the espefuse command that burns it on each chip that verifies the key.",
        };
        var command = new Command("digest", """
            Print the SHA-256 public key digest that is burnt into eFuse (espsecure digest-sbv2-public-key), in hex
            and nothing else, for scripts. With --out, write it as the 32-byte file espefuse burn-key takes and
            print the espefuse commands, per chip, that burn it.
            """) { key, output };
        command.SetAction(parse =>
        {
            var keyPath = parse.GetRequiredValue(key);
            var outPath = parse.GetValue(output) is { } given ? OutputFile.Checked(given, keyPath) : null;
            using var verifyingKey = LoadKey(keyPath);
            var digest = SecureBootV2.PublicKeyDigest(verifyingKey);
            if (outPath is null)
            {
                context.Out.WriteLine(Convert.ToHexStringLower(digest));
                return ExitCodes.Ok;
            }
            AtomicFile.Write(outPath, digest);
            context.Out.WriteLine($"wrote {TerminalText.Escape(outPath)}: the {verifyingKey.Scheme} key's public key digest, {Convert.ToHexStringLower(digest)}");
            foreach (var line in DigestBurnGuide.Lines(verifyingKey.Scheme, keyPath, outPath))
            {
                context.Out.WriteLine(line);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
