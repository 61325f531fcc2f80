using System.Security.Cryptography;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Images;
using NfOta.Manifest;

namespace NfOta.Packaging;

/// <summary>One manifest of a package checked as the device would check it, with every problem found.</summary>
public sealed record PackageCheck(string Manifest, string? Version, string? Chip, string? ImageFile, IReadOnlyList<string> Problems)
{
    public bool Valid => Problems.Count == 0;

    /// <summary>An in-field-update release: its image type (nanoclr or deployment); else null.</summary>
    public string? IfuImage { get; init; }

    /// <summary>An in-field-update release: the dependencies its MCUboot image carries (image:min-version); else null.</summary>
    public IReadOnlyList<string>? IfuDependencies { get; init; }

    /// <summary>
    /// Check every *.manifest in <paramref name="directory"/> (or the one manifest file given): parsed by
    /// the device's parser, signature against <paramref name="key"/>, then the image it names (found
    /// beside it by the URL's file name): size, SHA-256, a valid app image whose chip, version and
    /// secure_version are the manifest's.
    /// </summary>
    /// <param name="deviceKey">A device's private key: pre-encrypted firmware is decrypted with it and its plaintext checked; without it only the encrypted file's form and length are.</param>
    /// <param name="servable">Whether the update server would deliver a file of the folder (by name); null: not checked. A file it would answer 404 is <c>not-servable</c>.</param>
    /// <param name="ifuKey">The key devices have built in for in-field-update packages: their EC256 signature is checked with it; without it, only that there is one.</param>
    /// <param name="allowUnsignedIfu">An in-field-update package without a signature passes (development boards built to take them).</param>
    public static IReadOnlyList<PackageCheck> Run(string directory, ManifestKey key, DeviceKey? deviceKey = null, Func<string, bool>? servable = null,
        NfOta.McuBoot.Signing.Ec256Key? ifuKey = null, bool allowUnsignedIfu = false)
    {
        string[] manifests;
        if (File.Exists(directory) && directory.EndsWith(".manifest", StringComparison.Ordinal))
        {
            manifests = [directory];
            directory = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        }
        else if (Directory.Exists(directory))
        {
            try
            {
                manifests = Directory.GetFiles(directory, "*.manifest").Order(StringComparer.Ordinal).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PackagingException("file-not-readable", $"package directory '{directory}' cannot be listed: {e.Message}", e);
            }
            if (manifests.Length == 0)
            {
                throw new PackagingException("package-empty", $"'{directory}' holds no *.manifest file: make one with nfota pack");
            }
        }
        else
        {
            throw new PackagingException("file-not-found", $"package directory '{directory}' does not exist");
        }
        return manifests.Select(m => CheckOne(m, directory, key, deviceKey, servable, ifuKey, allowUnsignedIfu)).ToList();
    }

    private static PackageCheck CheckOne(string path, string directory, ManifestKey key, DeviceKey? deviceKey, Func<string, bool>? servable,
        NfOta.McuBoot.Signing.Ec256Key? ifuKey, bool allowUnsignedIfu)
    {
        var name = Path.GetFileName(path);
        var problems = new List<string>();
        if (NotServable(directory, name, "manifest", servable, problems))
        {
            return new PackageCheck(name, null, null, null, problems);
        }
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(path, "manifest", InputLimit.Manifest);
        }
        catch (PackagingException e)
        {
            // One unreadable or dangling manifest is one failed row; the others are still checked.
            return new PackageCheck(name, null, null, null, [.. problems, $"{e.Message} [{e.Code}]"]);
        }
        UpdateManifest manifest;
        try
        {
            manifest = UpdateManifest.Parse(bytes, bytes.Length);
        }
        catch (OtaException e)
        {
            return new PackageCheck(name, null, null, null, [.. problems, $"{e.Message} [{e.Code}]"]);
        }

        if (!key.Verify(bytes.AsSpan(0, manifest.SignedLength), manifest.Signature))
        {
            problems.Add("the manifest's signature does not verify with this public key: it was changed, or signed with another key [manifest-signature]");
        }
        problems.AddRange(InstallableCheck.Problems(manifest));
        if (manifest.IsIfu)
        {
            var (file, ifu) = CheckIfu(manifest, directory, problems, servable, ifuKey, allowUnsignedIfu);
            return new PackageCheck(name, manifest.Version.Text, manifest.Chip, file, problems)
            {
                IfuImage = ifu?.ImageType, IfuDependencies = ifu?.Dependencies,
            };
        }
        string? imageFile = null;
        NfOta.NanoFramework.NativeAssemblyTable? natives = null;
        if (manifest.HasFirmware)
        {
            (imageFile, natives) = CheckFirmware(manifest, directory, problems, deviceKey, servable);
        }
        if (manifest.HasApp)
        {
            var (appFile, app) = CheckApp(manifest, directory, problems, servable);
            imageFile = imageFile is null ? appFile : $"{imageFile}, {appFile}";
            if (app is not null && natives is not null)
            {
                problems.AddRange(NfOta.NanoFramework.AppBinding.Check(app.Assemblies, natives).Select(p => $"the app would not start on this firmware: {p.Message} [incompatible-firmware]"));
            }
        }
        return new PackageCheck(name, manifest.Version.Text, manifest.Chip, imageFile, problems);
    }

    /// <summary>
    /// Adds <c>not-servable</c> and returns true when the server would answer <paramref name="name"/> 404.
    /// Such a file is not read further: it fails whatever it holds, and a FIFO would block the read.
    /// </summary>
    private static bool NotServable(string directory, string name, string what, Func<string, bool>? servable, List<string> problems)
    {
        if (servable is null || servable(name))
        {
            return false;
        }
        var path = Path.Combine(directory, name);
        var reason = name.StartsWith('.') ? "its name starts with '.'"
            : new FileInfo(path).LinkTarget is { } target ? $"it is a symbolic link (to '{target}')"
            : "it is not a regular file";
        problems.Add($"the {what} '{name}' would not be served: {reason}, and serve answers 404 for it; put the file itself there [not-servable]");
        return true;
    }

    private static string? FileOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.LocalPath) : null;

    /// <summary>The firmware part; returns its file and the native table it carries, if any.</summary>
    private static (string File, NfOta.NanoFramework.NativeAssemblyTable? Natives) CheckFirmware(UpdateManifest manifest, string directory, List<string> problems, DeviceKey? deviceKey, Func<string, bool>? servable)
    {
        var imageFile = FileOf(manifest.Url) ?? "";
        var imagePath = Path.Combine(directory, imageFile);
        if (imageFile.Length == 0 || !File.Exists(imagePath))
        {
            problems.Add($"the image '{imageFile}' named by url={manifest.Url} is not in the package [image-missing]");
            return (imageFile, null);
        }

        if (NotServable(directory, imageFile, "image", servable, problems))
        {
            return (imageFile, null);
        }
        byte[] image;
        try
        {
            image = InputFile.ReadAllBytes(imagePath, "image", manifest.IsEncrypted ? InputLimit.EncryptedImage : InputLimit.Image);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return (imageFile, null);
        }
        if (manifest.IsEncrypted)
        {
            var plaintext = CheckEncrypted(manifest, image, deviceKey, problems);
            if (plaintext is null)
            {
                return (imageFile, null);
            }
            image = plaintext;
        }
        if (image.Length != manifest.Size)
        {
            problems.Add($"the image is {image.Length} bytes but the manifest says {manifest.Size} [size-mismatch]");
        }
        if (!SHA256.HashData(image).AsSpan().SequenceEqual(manifest.Sha256))
        {
            problems.Add("the image's SHA-256 is not the manifest's: the image was changed after packing [hash-mismatch]");
        }
        if (manifest.BlockSize > 0 && image.Length == manifest.Size)
        {
            var blocks = BlockHashes.Of(image, manifest.BlockSize);
            for (var i = 0; i < manifest.BlockCount; i++)
            {
                if (!blocks.AsSpan(32 * i, 32).SequenceEqual(manifest.BlockSha256.AsSpan(32 * i, 32)))
                {
                    problems.Add($"block {i} of the image (bytes {i * manifest.BlockSize} on) does not match the manifest's block-sha256 [block-mismatch]");
                    break;
                }
            }
        }
        try
        {
            var parsed = ReleasePackage.Validate(image);
            var description = parsed.RequireDescription();
            if (parsed.Chip!.Name != manifest.Chip)
            {
                problems.Add($"the manifest says chip {manifest.Chip} but the image is for {parsed.Chip.Name} [wrong-chip]");
            }
            if (description.Version != manifest.Version.Text)
            {
                problems.Add($"the manifest says version {manifest.Version.Text} but the image says {description.Version} [version-mismatch]");
            }
            if (description.SecureVersion != manifest.SecureVersion)
            {
                problems.Add($"the manifest says secure-version {manifest.SecureVersion} but the image says {description.SecureVersion} [secure-version-mismatch]");
            }
            // Only a firmware that passes its own checks is worth binding the app against.
            var natives = NfOta.NanoFramework.NativeAssemblyTable.FindIn(image);
            if (manifest.FirmwareNatives is not null && manifest.FirmwareNatives.Format() != natives?.ManifestForm())
            {
                problems.Add($"the manifest says the firmware provides {manifest.FirmwareNatives.Format()} but its native table is {natives?.ManifestForm() ?? "not readable in the image"} [natives-mismatch]");
            }
            return (imageFile, natives);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
        }
        return (imageFile, null);
    }

    /// <summary>
    /// An in-field-update package: the file's size and SHA-256, then the MCUboot image as the device's
    /// Complete checks it (<see cref="IfuImageCheck"/>), and that the manifest says what the image does.
    /// </summary>
    private static (string File, IfuImage? Ifu) CheckIfu(UpdateManifest manifest, string directory, List<string> problems, Func<string, bool>? servable,
        NfOta.McuBoot.Signing.Ec256Key? ifuKey, bool allowUnsigned)
    {
        var file = FileOf(manifest.IfuUrl) ?? "";
        var path = Path.Combine(directory, file);
        if (file.Length == 0 || !File.Exists(path))
        {
            problems.Add($"the IFU package '{file}' named by url={manifest.IfuUrl} is not in the package [image-missing]");
            return (file, null);
        }
        if (NotServable(directory, file, "IFU package", servable, problems))
        {
            return (file, null);
        }
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(path, "IFU package", InputLimit.Image);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return (file, null);
        }
        if (bytes.Length != manifest.IfuSize)
        {
            problems.Add($"the IFU package is {bytes.Length} bytes but the manifest says {manifest.IfuSize} [size-mismatch]");
        }
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(manifest.IfuSha256))
        {
            problems.Add("the IFU package's SHA-256 is not the manifest's: the file was changed after packing [hash-mismatch]");
        }
        IfuImage ifu;
        try
        {
            ifu = IfuImageCheck.Check(bytes, ifuKey, allowUnsigned);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return (file, null);
        }
        var image = manifest.IfuImageType == 0 ? ManifestFormat.IfuNanoClr : ManifestFormat.IfuDeployment;
        if (ifu.ImageType != image)
        {
            problems.Add($"the manifest says ifu-image={image} but the package is a {ifu.ImageType} image [ifu-image-mismatch]");
        }
        if (ifu.Chip is not null && ifu.Chip != manifest.Chip)
        {
            problems.Add($"the manifest says chip {manifest.Chip} but the package's nanoCLR image is for {ifu.Chip} [wrong-chip]");
        }
        if (manifest.IfuVersion.Text != ifu.Version.ToString() || manifest.Version.Text != ifu.ReleaseVersion)
        {
            problems.Add($"the manifest says version {manifest.Version.Text} (ifu-version {manifest.IfuVersion.Text}) but the image's header says {ifu.Version} [version-mismatch]");
        }
        var dependencies = string.Join(',', manifest.IfuDependencies.Select(d => d.ToString()));
        if (dependencies != string.Join(',', ifu.Dependencies))
        {
            problems.Add($"the manifest says ifu-dependencies={dependencies} but the image depends on {string.Join(',', ifu.Dependencies)} [dependencies-mismatch]");
        }
        return (file, ifu);
    }

    /// <summary>
    /// A pre-encrypted firmware file: its length and header against the manifest, then, with the
    /// device's private key, its plaintext (null when there is none to check further).
    /// </summary>
    private static byte[]? CheckEncrypted(UpdateManifest manifest, byte[] file, DeviceKey? deviceKey, List<string> problems)
    {
        if (file.Length != manifest.EncryptedSize)
        {
            problems.Add($"the pre-encrypted image is {file.Length} bytes but the manifest says encrypted-size={manifest.EncryptedSize} [size-mismatch]");
            return null;
        }
        if (manifest.EncryptedSha256 is not null && !SHA256.HashData(file).AsSpan().SequenceEqual(manifest.EncryptedSha256))
        {
            problems.Add("the pre-encrypted image's SHA-256 is not the manifest's encrypted-sha256: the file was changed after packing [hash-mismatch]");
            if (deviceKey is null)
            {
                return null;
            }
            // With the key, go on: decrypting says more (a bad tag, or another release's file).
        }
        try
        {
            var header = EncryptedImageHeader.Parse(file);
            if (header.PlaintextSize != manifest.Size)
            {
                problems.Add($"the pre-encrypted image's header announces {header.PlaintextSize} bytes but the manifest says size={manifest.Size} [size-mismatch]");
                return null;
            }
            return deviceKey is null ? null : EncryptedImage.Decrypt(file, deviceKey);
        }
        catch (NfOta.Esp32.Errors.Esp32FormatException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return null;
        }
    }

    /// <summary>The app part: present, the manifest's size and SHA-256, nothing but whole .pe assemblies, and the natives the manifest says it needs.</summary>
    private static (string File, AppPart? App) CheckApp(UpdateManifest manifest, string directory, List<string> problems, Func<string, bool>? servable)
    {
        var appFile = FileOf(manifest.AppUrl) ?? "";
        var appPath = Path.Combine(directory, appFile);
        if (appFile.Length == 0 || !File.Exists(appPath))
        {
            problems.Add($"the app '{appFile}' named by app-url={manifest.AppUrl} is not in the package [app-missing]");
            return (appFile, null);
        }
        if (NotServable(directory, appFile, "app", servable, problems))
        {
            return (appFile, null);
        }
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(appPath, "app", InputLimit.App);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return (appFile, null);
        }
        if (bytes.Length != manifest.AppSize)
        {
            problems.Add($"the app is {bytes.Length} bytes but the manifest says {manifest.AppSize} [size-mismatch]");
        }
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(manifest.AppSha256))
        {
            problems.Add("the app's SHA-256 is not the manifest's: the app was changed after packing [hash-mismatch]");
        }
        AppPart app;
        try
        {
            app = AppPart.FromFiles([(appPath, bytes)]);
        }
        catch (PackagingException e)
        {
            problems.Add($"{e.Message} [{e.Code}]");
            return (appFile, null);
        }
        var needs = app.Needs.ManifestForm();
        if (needs != manifest.AppNatives.Format())
        {
            problems.Add($"the manifest says the app needs {manifest.AppNatives.Format()} but its assemblies need {needs} [natives-mismatch]");
        }
        return (appFile, app);
    }
}
