using System.CommandLine;
using System.Globalization;
using NfOta.Cli.Cli;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;
using NfOta.McuBoot.Writing;
using NfOta.Packaging;

namespace NfOta.Cli.Commands;

/// <summary>
/// <c>nfota mcuboot sign|verify|dumpinfo</c>: imgtool's verbs for MCUboot images (nanoFramework's
/// in-field update packages): sign a raw binary as imgtool 2.3.0 does, check an image as MCUboot's
/// bootutil checks it, and print what imgtool's dumpinfo prints.
/// </summary>
public static class McuBootCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("mcuboot", "MCUboot images (imgtool's format): sign, check and dump them.");
        command.Add(Sign(context));
        command.Add(Verify(context));
        command.Add(DumpInfo(context));
        return command;
    }

    private static Command Sign(CliContext context)
    {
        var input = new Argument<string>("IN") { Description = "The raw binary to sign (Intel HEX is not read)." };
        var output = new Argument<string>("OUT") { Description = "The MCUboot image to write (refused if it exists, unless --force)." };
        var key = new Option<string?>("--key", "-k") { Description = "The EC P-256 private key (PEM, as imgtool keygen -t ecdsa-p256 writes it). Without it the image carries only its SHA-256, as imgtool's." };
        var headerSize = new Option<string>("--header-size", "-H") { Description = "Header size in bytes (32 to 65535, decimal or 0x hex): where the payload starts.", Required = true };
        var padHeader = new Option<bool>("--pad-header") { Description = "Put header-size bytes of 0xff before the input for the header; without it the input must start with that many zero bytes." };
        var align = new Option<string>("--align") { Description = "Flash write alignment (1, 2, 4, 8, 16, 32): sizes the slot trailer.", DefaultValueFactory = _ => "1" };
        align.AcceptOnlyFromAmong("1", "2", "4", "8", "16", "32");
        var maxAlign = new Option<string?>("--max-align") { Description = "Maximum flash alignment (8, 16, 32); default the larger of 8 and --align." };
        maxAlign.AcceptOnlyFromAmong("8", "16", "32");
        var version = new Option<string>("--version", "-v") { Description = "Image version: major[.minor[.revision[+build]]].", Required = true };
        var dependencies = new Option<string?>("--dependencies", "-d") { Description = "Protected dependency TLVs: \"(image id, minimum version), ...\", e.g. \"(0,1.5.0+0)\" (nanoCLR at least 1.5.0)." };
        var securityCounter = new Option<string?>("--security-counter", "-s") { Description = "Protected security counter: a number (decimal, 0x, 0o, 0b) or auto (major << 24 + minor << 16 + revision)." };
        var keyFormat = new Option<string>("--public-key-format") { Description = "hash: the key's SHA-256 (KEYHASH TLV); full: the whole public key (PUBKEY TLV).", DefaultValueFactory = _ => "hash" };
        keyFormat.AcceptOnlyFromAmong("hash", "full");
        var slotSize = new Option<string?>("--slot-size", "-S") { Description = "Slot size in bytes (decimal or 0x hex): the image and its trailer must fit; needed by --pad, --confirm, --test." };
        var pad = new Option<bool>("--pad") { Description = "Pad the image to the slot size with 0xff, the trailer's boot magic at the end." };
        var confirm = new Option<bool>("--confirm") { Description = "Pad, and mark the image confirmed (image_ok = 1)." };
        var test = new Option<bool>("--test") { Description = "Pad for a test swap (image_ok left erased)." };
        var overwriteOnly = new Option<bool>("--overwrite-only") { Description = "Size the trailer for overwrite-only upgrades." };
        var maxSectors = new Option<int?>("--max-sectors", "-M") { Description = "Sectors the swap status covers when sizing the trailer (default 128)." };
        var force = new Option<bool>("--force") { Description = "Replace OUT if it exists." };
        var command = new Command("sign", """
            Sign a raw binary into an MCUboot image as imgtool 2.3.0's sign does with the same options
            (EC256 keys, unencrypted, uncompressed, little-endian): header, payload, protected TLVs
            (security counter, dependencies), SHA-256, key hash or key, ECDSA P-256 signature, and with
            --pad/--confirm/--test the slot padding and trailer. imgtool verify accepts what it writes.
            Other key types (RSA, Ed25519, P-384) are refused. Exit 0 when written, 2 when refused.
            """) { input, output, key, headerSize, padHeader, align, maxAlign, version, dependencies, securityCounter, keyFormat, slotSize, pad, confirm, test, overwriteOnly, maxSectors, force };
        command.SetAction(parse =>
        {
            var inPath = parse.GetRequiredValue(input);
            var keyPath = parse.GetValue(key);
            string[] inputs = keyPath is null ? [inPath] : [inPath, keyPath];
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), inputs);
            RefuseIntelHex(inPath, outPath);
            if (File.Exists(outPath) && !parse.GetValue(force))
                throw new CliException("file-exists", $"'{outPath}' exists; use --force to replace it");
            var imageVersion = Text(() => ImageVersion.Parse(parse.GetRequiredValue(version)));
            var options = new SignOptions
            {
                Version = imageVersion,
                HeaderSize = (int)Values.ParseUInt32(parse.GetRequiredValue(headerSize), "--header-size"),
                PadHeader = parse.GetValue(padHeader),
                Align = int.Parse(parse.GetRequiredValue(align), CultureInfo.InvariantCulture),
                MaxAlign = parse.GetValue(maxAlign) is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : null,
                Dependencies = parse.GetValue(dependencies) is { } d ? Text(() => ImageDependency.ParseList(d)) : [],
                SecurityCounter = parse.GetValue(securityCounter) is { } c ? SecurityCounter(c, imageVersion) : null,
                PublicKeyFormat = parse.GetRequiredValue(keyFormat) == "full" ? PublicKeyFormat.Full : PublicKeyFormat.Hash,
                SlotSize = parse.GetValue(slotSize) is { } size ? Values.ParseUInt32(size, "--slot-size") : 0,
                Pad = parse.GetValue(pad),
                Confirm = parse.GetValue(confirm),
                Test = parse.GetValue(test),
                OverwriteOnly = parse.GetValue(overwriteOnly),
                MaxSectors = parse.GetValue(maxSectors) ?? 128,
            };
            var pem = keyPath is null ? null : Values.ReadText(keyPath, "key file", InputLimit.Key);
            var data = Values.ReadFile(inPath, "input file", InputLimit.Image);
            byte[] signed;
            try
            {
                using var signer = pem is null ? null : Ec256Signer.FromPem(pem);
                signed = ImageWriter.Write(data, options, signer);
            }
            catch (McuBootFormatException e)
            {
                throw new CliException(e.Code, e.Message, ExitCodes.BadInput);
            }
            catch (ArgumentException e)
            {
                throw new CliException("invalid-argument", e.Message, ExitCodes.BadInput);
            }
            AtomicFile.Write(outPath, signed);
            var image = McuBootImage.Parse(signed);
            var what = pem is null ? "unsigned (SHA-256 only)" : $"signed EC256, {(options.PublicKeyFormat == PublicKeyFormat.Hash ? "key hash" : "full key")}";
            context.Out.WriteLine($"wrote {TerminalText.Escape(outPath)}: version {image.Header.Version}, {signed.Length} bytes, {what}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DumpInfo(CliContext context)
    {
        var image = new Argument<string>("IMAGE") { Description = "The MCUboot image (with the slot padding and trailer, if any)." };
        var json = new Option<bool>("--json") { Description = "Print the same document as JSON (bytes in base64)." };
        var command = new Command("dumpinfo", """
            Print what imgtool 2.3.0's dumpinfo reports of an image, as the YAML its -o writes: header
            fields, each TLV area's info and TLVs (data in base64), and the trailer when the image is
            padded (magic, image_ok, copy_done, swap_info, swap_size). It does not check the hash or
            the signature (verify does). Exit 2 when it is not an MCUboot image.
            """) { image, json };
        command.SetAction(parse =>
        {
            var bytes = Values.ReadFile(parse.GetRequiredValue(image), "MCUboot image", InputLimit.Image);
            ImageDump dump;
            try
            {
                dump = ImageDump.Read(bytes);
            }
            catch (McuBootFormatException e)
            {
                throw new CliException(e.Code, e.Message, ExitCodes.BadInput);
            }
            context.Out.Write(parse.GetValue(json) ? CliJson.Serialize(dump) + "\n" : dump.ToYaml());
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>imgtool reads and writes Intel HEX by a .hex extension; nfota signs raw binaries only.</summary>
    private static void RefuseIntelHex(params string[] paths)
    {
        foreach (var path in paths.Where(p => string.Equals(Path.GetExtension(p), ".hex", StringComparison.OrdinalIgnoreCase)))
            throw new CliException("intel-hex-unsupported", $"'{path}' is Intel HEX by its name (imgtool would read or write it as such); nfota signs raw binaries only: convert it (objcopy -I ihex -O binary) or rename it");
    }

    private static T Text<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new CliException("invalid-argument", e.Message, ExitCodes.BadInput);
        }
    }

    /// <summary>imgtool's --security-counter: auto, or Python's int(text, 0) within a u32.</summary>
    private static uint SecurityCounter(string text, ImageVersion version)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return SecurityCounters.FromVersion(version);
        var digits = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var (radix, body) = digits.Length > 2 && digits[0] == '0' ? char.ToLowerInvariant(digits[1]) switch
        {
            'x' => (16, digits[2..]),
            'o' => (8, digits[2..]),
            'b' => (2, digits[2..]),
            _ => (0, digits),
        } : (10, digits);
        try
        {
            if (radix == 0 || body.Length == 0 || (radix == 10 && body.Length > 1 && body[0] == '0')) throw new FormatException();
            return Convert.ToUInt32(body, radix);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new CliException("invalid-argument", $"--security-counter '{text}' is not auto or a number from 0 to {uint.MaxValue} (decimal, 0x, 0o or 0b)", ExitCodes.BadInput);
        }
    }

    private static Command Verify(CliContext context)
    {
        var image = new Argument<string>("IMAGE") { Description = "The MCUboot image (imgtool sign's output)." };
        var key = new Option<string?>("--key") { Description = "The EC P-256 key it must be signed with (PEM, public or private): without it only the SHA-256 is checked." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("verify", """
            Read an MCUboot image: header (version, sizes, load address, flags), TLVs, dependencies and
            security counter; check its SHA-256 (header, payload and protected TLVs, as MCUboot hashes them)
            and, with --key, its EC256 signature. Exit 0 when it checks out, 1 when it does not (hash or
            signature), 2 when it is not an MCUboot image.
            """) { image, key, json };
        command.SetAction(parse =>
        {
            var bytes = Values.ReadFile(parse.GetRequiredValue(image), "MCUboot image", InputLimit.Image);
            var pem = parse.GetValue(key) is { } path ? Values.ReadText(path, "key file", InputLimit.Key) : null;
            VerifiedImage verified;
            try
            {
                using var ec256 = pem is null ? null : Ec256Key.FromPem(pem);
                verified = ImageVerifier.Verify(McuBootImage.Parse(bytes), ec256);
            }
            catch (McuBootFormatException e)
            {
                // A key that is not EC P-256 is bad input like a file that is not an image.
                throw new CliException(e.Code, e.Message, Rejects(e.Error) ? ExitCodes.Rejected : ExitCodes.BadInput);
            }
            var report = McuBootReport.Of(verified, pem is not null);
            if (parse.GetValue(json)) context.Out.WriteLine(CliJson.Serialize(report));
            else foreach (var line in report.Lines()) context.Out.WriteLine(TerminalText.Escape(line));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A well-formed image that does not check out (exit 1), as against one that is not an image (exit 2).</summary>
    private static bool Rejects(McuBootError error) => error is McuBootError.McubootHashMismatch or McuBootError.McubootKeyMismatch
        or McuBootError.McubootSignatureMissing or McuBootError.McubootSignatureInvalid or McuBootError.McubootSignatureUnsupported;
}

/// <summary>What <c>nfota mcuboot verify</c> prints.</summary>
public sealed record McuBootReport(string Version, int HeaderSize, uint ImageSize, uint LoadAddress, uint Flags, string Sha256,
    IReadOnlyList<string> Tlvs, IReadOnlyList<string> Dependencies, uint? SecurityCounter, string Signature)
{
    public static McuBootReport Of(VerifiedImage verified, bool keyGiven)
    {
        var image = verified.Image;
        var header = image.Header;
        var tlvs = image.ProtectedTlvs.Select(t => $"protected 0x{t.Type:X2} ({t.Length} bytes)")
            .Concat(image.UnprotectedTlvs.Select(t => $"0x{t.Type:X2} ({t.Length} bytes)")).ToList();
        var signature = verified.SignatureChecked ? "EC256, verified with the given key"
            : keyGiven ? "none" : image.AllTlvs.Any(t => t.Type == TlvTypes.EcdsaSignature) ? "EC256, not checked (give --key)" : "none (hash only)";
        return new McuBootReport(header.Version.ToString(), header.HeaderSize, header.ImageSize, header.LoadAddress, header.Flags,
            Convert.ToHexStringLower(verified.Digest), tlvs, image.Dependencies.Select(d => d.ToString()).ToList(), image.SecurityCounter, signature);
    }

    public IEnumerable<string> Lines()
    {
        yield return $"version {Version}, header {HeaderSize} bytes, image {ImageSize:N0} bytes, load address 0x{LoadAddress:X}, flags 0x{Flags:X}";
        yield return $"SHA-256 {Sha256} (matches its TLV)";
        yield return $"signature: {Signature}";
        if (Dependencies.Count > 0) yield return $"dependencies: {string.Join(", ", Dependencies)}";
        if (SecurityCounter is { } counter) yield return $"security counter: {counter}";
        yield return $"TLVs: {string.Join(", ", Tlvs)}";
    }
}
