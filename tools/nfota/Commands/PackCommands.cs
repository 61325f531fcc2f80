using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.EncryptedImages;
using NfOta.Packaging;
using Spectre.Console;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota pack</c> and <c>nfota verify</c>: release packages (image + signed manifest).</summary>
public static class PackCommands
{
    public static Command Pack(CliContext context)
    {
        var image = new Argument<string?>("IMAGE") { Description = "The firmware image to release (as ESP-IDF builds it; signed for secure boot v2 if the board uses it). Same as --firmware.", Arity = ArgumentArity.ZeroOrOne };
        var firmwareOption = new Option<string?>("--firmware") { Description = "The firmware image to release (instead of IMAGE)." };
        var app = new Option<string[]>("--app") { Description = "The C# app to release: its .pe files (in load order) or one deployment image. With a firmware: one release of both; alone: an app-only release.", AllowMultipleArgumentsPerToken = true };
        var forFirmware = new Option<string?>("--for-firmware") { Description = "App-only: the firmware image the app runs with; gives the chip and, when it carries a native table, checks the app binds to it." };
        var version = new Option<string?>("--version") { Description = "App-only: the release's version (a release with a firmware takes the firmware's)." };
        var chip = new Option<string?>("--chip") { Description = "App-only without --for-firmware: the chip (esp32, esp32c3, ...)." };
        var name = new Option<string?>("--name")
        {
            Description = "App-only: NAME in the release's NAME-VERSION files (default: the --for-firmware image's project name, as its firmware " +
                "releases are named; without it, the app's own assembly, the one no other given assembly references; else app).",
        };
        var key = new Option<string>("--key") { Description = "Manifest signing key (manifest-key.pem from nfota keys new).", Required = true };
        var urlBase = new Option<string>("--url-base") { Description = "Where devices will download from, e.g. https://updates.example.com/ (the image's URL is this plus its file name).", Required = true };
        var output = new Option<string>("--out") { Description = "Package folder: gets NAME-VERSION.bin (firmware), NAME-VERSION.app (app), NAME-VERSION.manifest and latest.manifest (unless it names a newer version).", Required = true };
        var minVersion = new Option<string?>("--min-version") { Description = "Oldest running version allowed to install this release (older than the release's version)." };
        var blockSize = new Option<int?>("--block-size") { Description = "Bytes per hashed block of the firmware image (a multiple of 4096; default 64 KiB, more for images over 2 MiB: devices keep at most 32 block hashes). Devices check each block as it lands and keep verified blocks across a reboot." };
        var encryptFor = new Option<string?>("--encrypt-for")
        {
            Description = "Pre-encrypt the firmware for one device key (its public PEM, device-key.pub.pem): ESP-IDF's esp_encrypted_img format, " +
                "written as NAME-VERSION.enc.bin, so it stays secret on servers, CDNs and proxies. The board decrypts it with the key in its nfota_key partition.",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace a release of the same version already in --out with other content (by default refused: devices may have fetched it), " +
                "and with --encrypt-for remove the plaintext NAME-VERSION.bin from --out.",
        };
        var ifu = new Option<string?>("--ifu")
        {
            Description = "Release an in-field-update package instead: an MCUboot image (imgtool sign's, or nfota mcuboot sign's) for nanoFramework's UpdateManager, " +
                "checked as the device's Complete checks it, written as NAME-VERSION.ifu.bin with a format 3 manifest that nf-ota's updater never installs. " +
                "A nanoCLR image (its payload an ESP-IDF app) gives the chip; a deployment needs --chip.",
        };
        var ifuKey = new Option<string?>("--ifu-key") { Description = "With --ifu: the EC P-256 key the boards have built in (ifu-key.pem or its .pub.pem): the image's signature must verify with it." };
        var allowUnsigned = new Option<bool>("--allow-unsigned") { Description = "With --ifu: take an image without a signature (for development boards built to take unsigned images only)." };
        var json = new Option<bool>("--json") { Description = "Print the package as JSON." };
        var command = new Command("pack", """
            Release a firmware, a C# app, or both, with a signed manifest. A firmware image is validated and
            gives chip, version and secure_version (its esp_app_desc_t); every .pe of an app is checked as
            nanoCLR checks it, and the app's native assemblies are checked against the firmware it will run
            with when that firmware carries a readable native table (incompatible-firmware otherwise).
            Boards need a deploy partition per OTA slot (deploy_0, deploy_1) to take an app.
            """)
        {
            image, firmwareOption, app, forFirmware, version, chip, name, key, urlBase, output, minVersion, blockSize, encryptFor, force, ifu, ifuKey, allowUnsigned, json,
        };
        command.SetAction(parse =>
        {
            OutputFolder.Check(parse.GetRequiredValue(output));
            if (parse.GetValue(ifu) is { } ifuPath)
            {
                Option[] others = [firmwareOption, app, forFirmware, version, minVersion, blockSize, encryptFor];
                if (parse.GetValue(image) is not null || others.Any(o => parse.GetResult(o) is { Implicit: false }))
                {
                    throw new CliException("invalid-argument", "--ifu releases an MCUboot image alone: IMAGE, --firmware, --app, --for-firmware, --version, --min-version, --block-size and --encrypt-for do not go with it");
                }
                var request = new IfuRequest
                {
                    Image = Values.ReadFile(ifuPath, "IFU package", InputLimit.Image), AllowUnsigned = parse.GetValue(allowUnsigned), Chip = parse.GetValue(chip), Name = parse.GetValue(name),
                    UrlBase = parse.GetRequiredValue(urlBase), OutDirectory = parse.GetRequiredValue(output), ReplacePublished = parse.GetValue(force),
                };
                PackIfu(context, request, parse.GetValue(ifuKey), parse.GetRequiredValue(key), parse.GetValue(json));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(ifuKey) is not null || parse.GetValue(allowUnsigned))
            {
                throw new CliException("invalid-argument", "--ifu-key and --allow-unsigned go with --ifu (an in-field-update package)");
            }
            var firmwarePath = parse.GetValue(image);
            if (parse.GetValue(firmwareOption) is { } given)
            {
                if (firmwarePath is not null)
                {
                    throw new CliException("invalid-argument", "give the firmware once: as IMAGE or with --firmware, not both");
                }
                firmwarePath = given;
            }
            var appPaths = parse.GetValue(app) ?? [];
            if (firmwarePath is null && appPaths.Length == 0)
            {
                throw new CliException("invalid-argument", "nothing to release: give a firmware image (IMAGE or --firmware), an app (--app), or both");
            }
            if (firmwarePath is not null && (parse.GetValue(forFirmware) is not null || parse.GetValue(chip) is not null))
            {
                throw new CliException("invalid-argument", "--for-firmware and --chip are for app-only releases: a release with a firmware takes both from it");
            }
            var firmware = firmwarePath is null ? null : Values.ReadFile(firmwarePath, "image", InputLimit.Image);
            var appPart = appPaths.Length == 0 ? null : AppPart.FromFiles([.. appPaths.Select(p => (p, Values.ReadFile(p, "app file", InputLimit.App)))]);
            var target = parse.GetValue(forFirmware) is { } forPath ? Values.ReadFile(forPath, "firmware image", InputLimit.Image) : null;
            using var signingKey = ManifestKey.Load(parse.GetRequiredValue(key));
            using var deviceKey = parse.GetValue(encryptFor) is { } devicePath ? DeviceKey.FromPem(InputFile.ReadAllText(devicePath, "device key", InputLimit.Key)) : null;
            if (deviceKey is not null)
            {
                DeviceKeyGuard.RefuseSigningKey(deviceKey, parse.GetValue(encryptFor)!, parse.GetRequiredValue(key));
            }
            var package = ReleasePackage.CreateRelease(new ReleaseRequest
            {
                Firmware = firmware, App = appPart, ForFirmware = target, Version = parse.GetValue(version), Chip = parse.GetValue(chip), Name = parse.GetValue(name),
                UrlBase = parse.GetRequiredValue(urlBase), OutDirectory = parse.GetRequiredValue(output), MinVersion = parse.GetValue(minVersion),
                BlockSize = parse.GetValue(blockSize), EncryptFor = deviceKey, ReplacePublished = parse.GetValue(force),
            }, signingKey);
            PrintRelease(context, package, deviceKey, parse.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PackIfu(CliContext context, IfuRequest request, string? ifuKeyPath, string manifestKeyPath, bool json)
    {
        using var trusted = ifuKeyPath is null ? null : IfuImageCheck.LoadKey(Values.ReadText(ifuKeyPath, "IFU key", InputLimit.Key));
        using var signer = ManifestKey.Load(manifestKeyPath);
        PrintIfu(context, ReleasePackage.CreateIfu(request with { Key = trusted }, signer), json);
    }

    /// <summary>What pack wrote: a table, or with --json the same as one JSON object.</summary>
    private static void PrintRelease(CliContext context, ReleasePackage package, DeviceKey? deviceKey, bool json)
    {
        var appNatives = package.App?.Needs.ManifestForm();
        if (json)
        {
            context.Out.WriteLine(CliJson.Serialize(new
            {
                package.Directory, package.ImageFile, package.ManifestFile, latest = ReleasePackage.LatestManifest, package.LatestVersion,
                package.Chip, package.Version, package.SecureVersion, package.Size, package.BlockSize, encryptedSize = package.EncryptedSize == 0 ? (int?)null : package.EncryptedSize,
                sha256 = package.ImageFile is null ? null : Convert.ToHexStringLower(package.Sha256), package.Url, secureBootSigned = package.Signed,
                package.AppFile, appSize = package.App?.Image.Length, appSha256 = package.App is null ? null : Convert.ToHexStringLower(package.App.Sha256),
                appAssemblies = package.App?.Assemblies.Count, appNatives,
                firmwareNatives = package.FirmwareNatives?.ToString(),
                removed = package.RemovedFiles,
            }));
            return;
        }
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        table.AddRow("chip", package.Chip);
        table.AddRow("version", Safe(package.Version));
        if (package.ImageFile is not null)
        {
            table.AddRow("secure_version", package.SecureVersion.ToString());
            table.AddRow("size", $"{package.Size} bytes");
            table.AddRow("sha256", Convert.ToHexStringLower(package.Sha256));
            table.AddRow("url", Safe(package.Url));
            if (package.EncryptedSize > 0)
            {
                table.AddRow("encrypted", $"for a {deviceKey!.Scheme} device key (esp_encrypted_img): {package.EncryptedSize} bytes to download; the manifest signs the plaintext");
            }
            table.AddRow("blocks", $"{NfOta.Manifest.ManifestFormat.BlockCount(package.Size, package.BlockSize)} of {package.BlockSize} bytes, each with its SHA-256");
            table.AddRow("secure boot", package.Signed ? "signature sector present" : "[yellow]not signed[/] (a board with secure boot will reject it)");
        }
        if (package.App is not null)
        {
            table.AddRow("app", Safe($"{package.AppFile}: {package.App.Image.Length} bytes, {Count(package.App.Assemblies.Count, "assembly", "assemblies")}"));
            table.AddRow("app needs", Safe(appNatives!.Length == 0 ? "no native code" : appNatives));
            table.AddRow("checked against", Safe(package.FirmwareNatives is null
                ? "nothing: the firmware carries no readable native table (the device checks before it writes)"
                : $"the firmware's native table: {package.FirmwareNatives}"));
        }
        var written = string.Join(", ", new[] { package.ImageFile, package.AppFile, package.ManifestFile }.Where(f => f is not null));
        var latestUpdated = package.LatestVersion == package.Version;
        table.AddRow("wrote", Safe(latestUpdated
            ? $"{written}, {ReleasePackage.LatestManifest} in {package.Directory}"
            : $"{written} in {package.Directory}"));
        if (package.RemovedFiles.Count > 0)
        {
            table.AddRow("removed", Safe($"{string.Join(", ", package.RemovedFiles)} (the plaintext firmware: it would have been served beside the encrypted one)"));
        }
        if (!latestUpdated)
        {
            table.AddRow("latest", Safe($"{ReleasePackage.LatestManifest} kept: it names {package.LatestVersion}, newer than {package.Version}"));
        }
        context.Console.Write(table);
    }

    private static void PrintIfu(CliContext context, ReleasePackage package, bool json)
    {
        var ifu = package.Ifu!;
        if (json)
        {
            context.Out.WriteLine(CliJson.Serialize(new
            {
                package.Directory, package.ImageFile, package.ManifestFile, latest = ReleasePackage.LatestManifest, package.LatestVersion,
                package.Chip, package.Version, ifuImage = ifu.ImageType, ifuVersion = ifu.Version.ToString(), package.Size,
                sha256 = Convert.ToHexStringLower(package.Sha256), package.Url, dependencies = ifu.Dependencies,
                signature = ifu.SignatureChecked ? "verified" : ifu.Signed ? "not checked" : "none",
            }));
            return;
        }
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        table.AddRow("chip", package.Chip);
        table.AddRow("version", Safe($"{package.Version} (MCUboot {ifu.Version})"));
        table.AddRow("in-field update", $"{ifu.ImageType} image, {package.Size} bytes with header and TLVs");
        table.AddRow("sha256", Convert.ToHexStringLower(package.Sha256));
        table.AddRow("url", Safe(package.Url));
        table.AddRow("dependencies", Safe(ifu.Dependencies.Count == 0 ? "none" : string.Join(", ", ifu.Dependencies)));
        table.AddRow("signature", ifu.SignatureChecked ? "EC256, verified with --ifu-key"
            : ifu.Signed ? "EC256, [yellow]not checked[/] (give --ifu-key: the device checks it against its built-in key)"
            : "[yellow]none[/] (--allow-unsigned: only a development board built to take unsigned images installs it)");
        var latestUpdated = package.LatestVersion == package.Version;
        table.AddRow("wrote", Safe(latestUpdated
            ? $"{package.ImageFile}, {package.ManifestFile}, {ReleasePackage.LatestManifest} in {package.Directory}"
            : $"{package.ImageFile}, {package.ManifestFile} in {package.Directory}"));
        if (!latestUpdated)
        {
            table.AddRow("latest", Safe($"{ReleasePackage.LatestManifest} kept: it names {package.LatestVersion}, newer than {package.Version}"));
        }
        context.Console.Write(table);
    }

    public static Command Verify(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "Package folder (or one .manifest file)." };
        var key = new Option<string>("--pubkey") { Description = "Manifest public key (manifest-key.pub.pem; the private key works too).", Required = true };
        var deviceKey = new Option<string?>("--device-key") { Description = "A device's private key (device-key.pem): pre-encrypted firmware is decrypted and its plaintext checked too (without it, only the encrypted file's length and header are)." };
        var ifuKey = new Option<string?>("--ifu-key") { Description = "The EC P-256 key boards have built in for in-field-update packages (ifu-key.pub.pem): their MCUboot signature is checked with it." };
        var allowUnsigned = new Option<bool>("--allow-unsigned") { Description = "In-field-update packages without a signature pass (development boards built to take them)." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("verify", "Check a package as the device would: the manifest's form and signature, then the image's size, SHA-256, format, chip and version (an in-field-update package: its MCUboot structure, hash, flags, sizes, signature and dependencies). Exit 0 only when every manifest passes.")
        {
            directory, key, deviceKey, ifuKey, allowUnsigned, json,
        };
        command.SetAction(parse =>
        {
            using var publicKey = ManifestKey.Load(parse.GetRequiredValue(key));
            using var device = parse.GetValue(deviceKey) is { } devicePath ? DeviceKey.FromPem(InputFile.ReadAllText(devicePath, "device key", InputLimit.Key)) : null;
            if (device is { HasPrivateKey: false })
            {
                throw new CliException("invalid-argument", "--device-key needs the device's private key (device-key.pem) to decrypt; this is its public key");
            }
            var target = parse.GetRequiredValue(directory);
            var folder = File.Exists(target) ? Path.GetDirectoryName(Path.GetFullPath(target))! : target;
            // What serve would answer 404 (a symbolic link, a FIFO, a dot-named file) is no release a device can fetch.
            using var served = ServableIn(folder);
            using var trusted = parse.GetValue(ifuKey) is { } ifuKeyPath ? IfuImageCheck.LoadKey(Values.ReadText(ifuKeyPath, "IFU key", InputLimit.Key)) : null;
            var checks = PackageCheck.Run(target, publicKey, device, served is null ? null : served.IsServable, trusted, parse.GetValue(allowUnsigned));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CliJson.Serialize(checks.Select(c => new { c.Manifest, c.Valid, c.Version, c.Chip, c.ImageFile, c.IfuImage, c.IfuDependencies, c.Problems })));
            }
            else
            {
                var table = new Table().AddColumns("Manifest", "Version", "Chip", "Image", "Result");
                foreach (var c in checks)
                {
                    // Names and problems come from the files: escaped for the terminal, then for Spectre's markup.
                    var imageText = c.IfuImage is null ? c.ImageFile ?? "?"
                        : $"{c.ImageFile} (in-field update, {c.IfuImage}; depends on {(c.IfuDependencies!.Count == 0 ? "nothing" : string.Join(", ", c.IfuDependencies))})";
                    table.AddRow(Safe(c.Manifest), Safe(c.Version ?? "?"), Safe(c.Chip ?? "?"), Safe(imageText),
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

    /// <summary>The server's view of the folder; null when it cannot be opened (listing it then reports why).</summary>
    private static NfOta.Server.ServableFiles? ServableIn(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? new NfOta.Server.ServableFiles(folder) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Safe(string text) => Markup.Escape(TerminalText.Escape(text));

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
