using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Packaging;
using Spectre.Console;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota pack</c> and <c>nfota verify</c>: release packages (image + signed manifest).</summary>
public static class PackCommands
{
    public static Command Pack(CliContext context)
    {
        var image = new Argument<string>("IMAGE") { Description = "The app image to release (as ESP-IDF builds it; signed for secure boot v2 if the board uses it)." };
        var key = new Option<string>("--key") { Description = "Manifest signing key (manifest-key.pem from nfota keys new).", Required = true };
        var urlBase = new Option<string>("--url-base") { Description = "Where devices will download from, e.g. https://updates.example.com/ (the image's URL is this plus its file name).", Required = true };
        var output = new Option<string>("--out") { Description = "Package folder: gets PROJECT-VERSION.bin, PROJECT-VERSION.manifest and latest.manifest (unless it names a newer version).", Required = true };
        var minVersion = new Option<string?>("--min-version") { Description = "Oldest running version allowed to install this release (older than the image's version)." };
        var json = new Option<bool>("--json") { Description = "Print the package as JSON." };
        var command = new Command("pack", "Validate an app image, read chip, version and secure_version from its app description, and write it with a signed manifest.")
        {
            image, key, urlBase, output, minVersion, json,
        };
        command.SetAction(parse =>
        {
            OutputFolder.Check(parse.GetRequiredValue(output));
            var bytes = Values.ReadFile(parse.GetRequiredValue(image), "image");
            using var signingKey = ManifestKey.Load(parse.GetRequiredValue(key));
            var package = ReleasePackage.Create(bytes, signingKey, parse.GetRequiredValue(urlBase), parse.GetRequiredValue(output), parse.GetValue(minVersion));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Json.Serialize(new
                {
                    package.Directory, package.ImageFile, package.ManifestFile, latest = ReleasePackage.LatestManifest, package.LatestVersion,
                    package.Chip, package.Version, package.SecureVersion, package.Size,
                    sha256 = Convert.ToHexStringLower(package.Sha256), package.Url, secureBootSigned = package.Signed,
                }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Field", "Value").HideHeaders();
            table.AddRow("chip", package.Chip);
            table.AddRow("version", Safe(package.Version));
            table.AddRow("secure_version", package.SecureVersion.ToString());
            table.AddRow("size", $"{package.Size} bytes");
            table.AddRow("sha256", Convert.ToHexStringLower(package.Sha256));
            table.AddRow("url", Safe(package.Url));
            table.AddRow("secure boot", package.Signed ? "signature sector present" : "[yellow]not signed[/] (a board with secure boot will reject it)");
            var latestUpdated = package.LatestVersion == package.Version;
            table.AddRow("wrote", Safe(latestUpdated
                ? $"{package.ImageFile}, {package.ManifestFile}, {ReleasePackage.LatestManifest} in {package.Directory}"
                : $"{package.ImageFile}, {package.ManifestFile} in {package.Directory}"));
            if (!latestUpdated)
            {
                table.AddRow("latest", Safe($"{ReleasePackage.LatestManifest} kept: it names {package.LatestVersion}, newer than {package.Version}"));
            }
            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Verify(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "Package folder (or one .manifest file)." };
        var key = new Option<string>("--pubkey") { Description = "Manifest public key (manifest-key.pub.pem; the private key works too).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("verify", "Check a package as the device would: the manifest's form and signature, then the image's size, SHA-256, format, chip and version. Exit 0 only when every manifest passes.")
        {
            directory, key, json,
        };
        command.SetAction(parse =>
        {
            using var publicKey = ManifestKey.Load(parse.GetRequiredValue(key));
            var checks = PackageCheck.Run(parse.GetRequiredValue(directory), publicKey);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Json.Serialize(checks.Select(c => new { c.Manifest, c.Valid, c.Version, c.Chip, c.ImageFile, c.Problems })));
            }
            else
            {
                var table = new Table().AddColumns("Manifest", "Version", "Chip", "Image", "Result");
                foreach (var c in checks)
                {
                    // Names and problems come from the files: escaped for the terminal, then for Spectre's markup.
                    table.AddRow(Safe(c.Manifest), Safe(c.Version ?? "?"), Safe(c.Chip ?? "?"), Safe(c.ImageFile ?? "?"),
                        c.Valid ? "[green]valid[/]" : "[red]" + Safe(string.Join("; ", c.Problems)) + "[/]");
                }
                context.Console.Write(table);
            }
            var bad = checks.Where(c => !c.Valid).ToList();
            if (bad.Count > 0)
            {
                throw new CliException("package-invalid", $"{bad.Count} of {checks.Count} manifests failed: {bad[0].Manifest}: {bad[0].Problems[0]}", ExitCodes.Rejected);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Safe(string text) => Markup.Escape(TerminalText.Escape(text));
}
