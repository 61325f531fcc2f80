using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;
using NfOta.Packaging;

namespace NfOta.Cli.Commands;

/// <summary>
/// <c>nfota mcuboot verify</c>: what an MCUboot image (imgtool's, as nanoFramework's in-field update
/// packages them) holds, and whether it is whole and signed, checked as MCUboot's bootutil checks it.
/// </summary>
public static class McuBootCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("mcuboot", "MCUboot images (imgtool sign's output): read and check them.");
        command.Add(Verify(context));
        return command;
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
