using System.Security.Cryptography;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Packaging;

/// <summary>
/// A release in a directory: the image (PROJECT-VERSION.bin), its signed manifest
/// (PROJECT-VERSION.manifest) and latest.manifest, a copy of the newest one, which devices poll.
/// </summary>
/// <param name="LatestVersion">The version latest.manifest names after packing: this one, or a newer one already there.</param>
/// <param name="ImageFile">The firmware image's file; null for an app-only release (then Size is 0).</param>
public sealed partial record ReleasePackage(string Directory, string? ImageFile, string ManifestFile, string Chip, string Version, int SecureVersion, int Size, byte[] Sha256, string Url, bool Signed, string LatestVersion)
{
    public const string LatestManifest = "latest.manifest";

    /// <summary>The app part (format 2 manifests), or null for a firmware-only release.</summary>
    public AppPart? App { get; init; }

    /// <summary>The app image's file in the package, or null.</summary>
    public string? AppFile { get; init; }

    /// <summary>Bytes per hashed block of the firmware image (0 for an app-only release).</summary>
    public int BlockSize { get; init; }

    /// <summary>The pre-encrypted firmware file's length (header and ciphertext); 0 when the firmware is published as it is.</summary>
    public int EncryptedSize { get; init; }

    /// <summary>Files the release replaced by removing them: the plaintext firmware beside a pre-encrypted one.</summary>
    public IReadOnlyList<string> RemovedFiles { get; init; } = [];

    /// <summary>The native assemblies the firmware provides, when its image carries nf-ota's table; else null.</summary>
    public NfOta.NanoFramework.NativeAssemblyTable? FirmwareNatives { get; init; }

    /// <summary>
    /// Validate <paramref name="image"/> (format, hash, app description; its secure boot signature
    /// sector when present) and write it with a manifest signed by <paramref name="key"/>.
    /// </summary>
    public static ReleasePackage Create(byte[] image, ManifestKey key, string urlBase, string outDirectory, string? minVersion = null, int? blockSize = null,
        DeviceKey? encryptFor = null, EncryptedImage.IRandomness? randomness = null, bool replacePublished = true)
    {
        var parsed = Validate(image);
        var description = parsed.RequireDescription();
        var oldest = minVersion is null ? null : NfOta.Model.FirmwareVersion.TryParse(minVersion);
        if (minVersion is not null && oldest is null)
        {
            throw new PackagingException("bad-argument", $"--min-version '{minVersion}' is not numbers joined by dots (like 1.0.0)");
        }
        var version = NfOta.Model.FirmwareVersion.TryParse(description.Version)
            ?? throw new PackagingException("image-invalid", $"the image's version '{description.Version}' is not numbers joined by dots (like 2.1.0): set PROJECT_VER so devices can compare versions");
        if (oldest is not null && oldest.CompareTo(version) >= 0)
        {
            // A board installs only a newer version, and only when it runs min-version or later: none could.
            throw new PackagingException("bad-argument", $"--min-version {minVersion} is not older than the image's version {description.Version}: no board could install it");
        }
        var baseUri = DownloadBase(urlBase);

        var project = ReleaseName.Safe(description.ProjectName) ?? "firmware";
        var stem = $"{project}-{description.Version}";
        var (imageFile, published) = Publish(stem, image, encryptFor, randomness);
        var url = new Uri(baseUri, imageFile).ToString();
        var chip = parsed.Chip!.Name;
        var sha = SHA256.HashData(image);
        var natives = NfOta.NanoFramework.NativeAssemblyTable.FindIn(image);
        var manifest = ManifestWriter.Sign(key, new ManifestContent
        {
            Chip = chip, Version = description.Version, MinVersion = minVersion,
            Firmware = FirmwarePart(image, (int)description.SecureVersion, url, natives, blockSize) with { EncryptedSize = encryptFor is null ? 0 : published.Length, EncryptedSha256 = encryptFor is null ? null : SHA256.HashData(published) },
        });

        // All files or none: a package with an image and no manifest misleads whoever serves it.
        OutputFolder.Create(outDirectory);
        var files = new List<AtomicFile.Entry>
        {
            new(Path.Combine(outDirectory, imageFile), published),
            new(Path.Combine(outDirectory, stem + ".manifest"), manifest),
        };
        // Packing an older release (a fix for an old branch, a rebuild) must not move devices' latest.manifest back.
        var stale = CheckPublished(outDirectory, stem, files, encryptFor is not null, replacePublished);
        var newer = NewerLatest(Path.Combine(outDirectory, LatestManifest), version);
        if (newer is null)
        {
            files.Add(new(Path.Combine(outDirectory, LatestManifest), manifest));
        }
        AtomicFile.WriteAll(files);
        Remove(stale);
        return new ReleasePackage(outDirectory, imageFile, stem + ".manifest", chip, description.Version, (int)description.SecureVersion, image.Length, sha, url,
            HasSignatureSector(image, parsed), newer ?? description.Version)
        {
            RemovedFiles = stale.Select(Path.GetFileName).ToList()!,
            FirmwareNatives = natives, BlockSize = blockSize ?? BlockHashes.DefaultFor(image.Length), EncryptedSize = encryptFor is null ? 0 : published.Length,
        };
    }

    /// <summary>
    /// The firmware file as it goes on the server: the image itself (NAME-VERSION.bin), or its
    /// esp_encrypted_img form for one device key (NAME-VERSION.enc.bin).
    /// </summary>
    private static (string File, byte[] Bytes) Publish(string stem, byte[] image, DeviceKey? encryptFor, EncryptedImage.IRandomness? randomness) =>
        encryptFor is null ? (stem + ".bin", image) : (stem + ".enc.bin", EncryptedImage.Encrypt(image, encryptFor, randomness));

    /// <summary>The firmware part of a format 2 manifest: size, digest, URL, block hashes, and the native table when the image carries one.</summary>
    private static ManifestFirmware FirmwarePart(byte[] image, int secureVersion, string url, NfOta.NanoFramework.NativeAssemblyTable? natives, int? blockSize)
    {
        var size = blockSize ?? BlockHashes.DefaultFor(image.Length);
        BlockHashes.Check(size, image.Length);
        return new ManifestFirmware
        {
            SecureVersion = secureVersion, Size = image.Length, Sha256 = SHA256.HashData(image), Url = url,
            BlockSize = size, BlockSha256 = BlockHashes.Of(image, size), Natives = natives,
        };
    }

    /// <summary>
    /// A release of a firmware, an app, or both (<see cref="ReleaseRequest"/>). The app's native
    /// needs are checked against the firmware it will run with (the release's, or
    /// <see cref="ReleaseRequest.ForFirmware"/> for an app-only release) when that firmware carries a
    /// readable native table; a mismatch is <c>incompatible-firmware</c> and nothing is written.
    /// </summary>
    public static ReleasePackage CreateRelease(ReleaseRequest request, ManifestKey key)
    {
        if (request.App is null)
        {
            return Create(request.Firmware ?? throw new PackagingException("bad-argument", "a release needs a firmware image, an app (--app), or both"),
                key, request.UrlBase, request.OutDirectory, request.MinVersion, request.BlockSize, request.EncryptFor, request.Randomness, request.ReplacePublished);
        }
        var app = request.App;
        AppImage? firmware = request.Firmware is null ? null : Validate(request.Firmware);
        AppImage? target = firmware ?? (request.ForFirmware is null ? null : Validate(request.ForFirmware));
        var description = firmware?.RequireDescription();
        var versionText = description?.Version ?? request.Version
            ?? throw new PackagingException("bad-argument", "an app-only release needs --version (the release's version; the firmware keeps its own)");
        if (description is not null && request.Version is not null && request.Version != description.Version)
        {
            throw new PackagingException("bad-argument", $"--version {request.Version} differs from the firmware's version {description.Version}: a release with a firmware takes the firmware's");
        }
        var version = NfOta.Model.FirmwareVersion.TryParse(versionText)
            ?? throw new PackagingException("bad-argument", $"version '{versionText}' is not numbers joined by dots (like 1.1.0)");
        var oldest = request.MinVersion is null ? null : NfOta.Model.FirmwareVersion.TryParse(request.MinVersion);
        if (request.MinVersion is not null && (oldest is null || oldest.CompareTo(version) >= 0))
        {
            throw new PackagingException("bad-argument", $"--min-version {request.MinVersion} is not a version older than {versionText}: no board could install it");
        }
        var chip = target?.Chip!.Name ?? request.Chip
            ?? throw new PackagingException("bad-argument", "an app-only release needs --chip or --for-firmware (the firmware it runs with)");
        if (request.Chip is not null && target is not null && request.Chip != target.Chip!.Name)
        {
            throw new PackagingException("bad-argument", $"--chip {request.Chip} but the firmware is for {target.Chip!.Name}");
        }

        var natives = target is null ? null : NfOta.NanoFramework.NativeAssemblyTable.FindIn(request.Firmware ?? request.ForFirmware);
        if (natives is not null && !request.SkipNativeCheck)
        {
            var problems = NfOta.NanoFramework.AppBinding.Check(app.Assemblies, natives);
            if (problems.Count > 0)
            {
                throw new PackagingException("incompatible-firmware",
                    $"the app would not start on {(firmware is null ? "that firmware" : "this release's firmware")}: {problems[0].Message} [{problems[0].Code}]"
                    + (problems.Count > 1 ? $" (and {problems.Count - 1} more)" : ""));
            }
        }

        var baseUri = DownloadBase(request.UrlBase);
        var project = ReleaseName.For(description, request.Name, target?.Description, app);
        var stem = $"{project}-{versionText}";
        var files = new List<AtomicFile.Entry>();
        string? imageFile = null, url = null;
        byte[] sha = [];
        var encryptedSize = 0;
        byte[]? encryptedSha256 = null;
        if (request.Firmware is not null)
        {
            (imageFile, var published) = Publish(stem, request.Firmware, request.EncryptFor, request.Randomness);
            encryptedSize = request.EncryptFor is null ? 0 : published.Length;
            encryptedSha256 = request.EncryptFor is null ? null : SHA256.HashData(published);
            url = new Uri(baseUri, imageFile).ToString();
            sha = SHA256.HashData(request.Firmware);
            files.Add(new(Path.Combine(request.OutDirectory, imageFile), published));
        }
        else if (request.EncryptFor is not null)
        {
            throw new PackagingException("bad-argument", "--encrypt-for encrypts the firmware image, and this release has none (app-only releases are not encrypted)");
        }
        var appFile = stem + ".app";
        var appUrl = new Uri(baseUri, appFile).ToString();
        files.Add(new(Path.Combine(request.OutDirectory, appFile), app.Image));

        var manifest = ManifestWriter.Sign(key, new ManifestContent
        {
            Chip = chip, Version = versionText, MinVersion = request.MinVersion,
            Firmware = request.Firmware is null ? null
                : FirmwarePart(request.Firmware, (int)description!.SecureVersion, url!, natives, request.BlockSize) with { EncryptedSize = encryptedSize, EncryptedSha256 = encryptedSha256 },
            App = new ManifestApp(app.Image.Length, app.Sha256, appUrl, app.Needs),
        });

        OutputFolder.Create(request.OutDirectory);
        files.Add(new(Path.Combine(request.OutDirectory, stem + ".manifest"), manifest));
        var stale = CheckPublished(request.OutDirectory, stem, files, request.Firmware is not null && request.EncryptFor is not null, request.ReplacePublished);
        var newer = NewerLatest(Path.Combine(request.OutDirectory, LatestManifest), version);
        if (newer is null)
        {
            files.Add(new(Path.Combine(request.OutDirectory, LatestManifest), manifest));
        }
        AtomicFile.WriteAll(files);
        Remove(stale);
        return new ReleasePackage(request.OutDirectory, imageFile, stem + ".manifest", chip, versionText, (int)(description?.SecureVersion ?? 0),
            request.Firmware?.Length ?? 0, sha, url ?? appUrl, request.Firmware is not null && HasSignatureSector(request.Firmware, firmware!), newer ?? versionText)
        {
            App = app,
            AppFile = appFile,
            RemovedFiles = stale.Select(Path.GetFileName).ToList()!,
            FirmwareNatives = natives,
            BlockSize = request.Firmware is null ? 0 : request.BlockSize ?? BlockHashes.DefaultFor(request.Firmware.Length),
            EncryptedSize = encryptedSize,
        };
    }

    /// <summary>
    /// The folder images are downloaded from, refused unless a device can use it as written: http(s),
    /// no user, query or fragment (the file name is appended to the path), and only characters
    /// that need no escaping (a space or a %-escape would reach the manifest decoded).
    /// </summary>
    private static Uri DownloadBase(string urlBase)
    {
        var withSlash = urlBase.EndsWith('/') ? urlBase : urlBase + "/";
        if (!Uri.TryCreate(withSlash, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != "http" && baseUri.Scheme != "https"))
        {
            throw new PackagingException("bad-argument", $"--url-base '{urlBase}' is not an http:// or https:// address");
        }
        if (withSlash.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '/' or '[' or ']')))
        {
            throw new PackagingException("bad-argument",
                $"--url-base '{urlBase}' must be a plain address (letters, digits and - . _ ~ : / only): no spaces, %-escapes, ?query, #fragment or user@, which a device cannot download as written");
        }
        if (baseUri.Port == 0)
        {
            throw new PackagingException("bad-argument", $"--url-base '{urlBase}' has port 0, which no device can connect to: give the server's port, or none for the scheme's default");
        }
        // Uri would fold "a/../b" into "b" and drop "./": refuse rather than sign a URL other than the one given.
        var afterAuthority = withSlash[(withSlash.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var pathStart = afterAuthority.IndexOf('/');
        if (pathStart >= 0 && afterAuthority[pathStart..].Split('/').Any(segment => segment is "." or ".."))
        {
            throw new PackagingException("bad-argument", $"--url-base '{urlBase}' has a '.' or '..' segment: write the folder's address without them (devices and serve refuse such URLs)");
        }
        return baseUri;
    }

    /// <summary>
    /// A release of this version already published (NAME-VERSION.manifest, .bin, .enc.bin, .app) with
    /// other content is refused unless <paramref name="replace"/>: devices may have fetched it, and a
    /// version names one release. The same release packed again passes (its manifest is compared
    /// without the signature, which differs on every signing; a pre-encrypted file never repeats, so
    /// re-packing one needs --force). With an encrypted firmware the plaintext NAME-VERSION.bin in the
    /// folder would be served beside it: refused, or with <paramref name="replace"/> returned for removal.
    /// </summary>
    private static List<string> CheckPublished(string outDirectory, string stem, List<AtomicFile.Entry> files, bool encrypted, bool replace)
    {
        var plaintext = Path.Combine(outDirectory, stem + ".bin");
        var stale = new List<string>();
        if (encrypted && File.Exists(plaintext))
        {
            if (!replace)
            {
                throw new PackagingException("plaintext-exists",
                    $"'{plaintext}' is the plaintext firmware of this release: beside the pre-encrypted one it would still be served; move it out of the folder, or --force to remove it");
            }
            stale.Add(plaintext);
        }
        if (replace)
        {
            return stale;
        }
        foreach (var entry in files)
        {
            if (!File.Exists(entry.Path) && new FileInfo(entry.Path).LinkTarget is null)
            {
                continue;
            }
            byte[] existing;
            try
            {
                existing = InputFile.ReadAllBytes(entry.Path, "published file", InputLimit.EncryptedImage);
            }
            catch (PackagingException)
            {
                existing = [];
            }
            if (!SameRelease(entry.Path, existing, entry.Contents))
            {
                throw new PackagingException("release-exists",
                    $"'{entry.Path}' already holds release {stem} with other content (another build, URL or key), and devices may have fetched it: give this build a new version, or --force to replace it");
            }
        }
        return stale;
    }

    private static bool SameRelease(string path, byte[] existing, byte[] written)
    {
        if (!path.EndsWith(".manifest", StringComparison.Ordinal))
        {
            return existing.AsSpan().SequenceEqual(written);
        }
        try
        {
            var old = NfOta.Manifest.UpdateManifest.Parse(existing, existing.Length);
            var now = NfOta.Manifest.UpdateManifest.Parse(written, written.Length);
            return existing.AsSpan(0, old.SignedLength).SequenceEqual(written.AsSpan(0, now.SignedLength));
        }
        catch (NfOta.OtaException)
        {
            return false;
        }
    }

    private static void Remove(List<string> stale)
    {
        foreach (var path in stale)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PackagingException("file-not-writable", $"the release is written, but the plaintext '{path}' could not be removed: {e.Message}; remove it before serving the folder", e);
            }
        }
    }

    /// <summary>The version of the latest.manifest already in the folder when it is newer than <paramref name="version"/>.</summary>
    private static string? NewerLatest(string path, NfOta.Model.FirmwareVersion version)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = InputFile.ReadAllBytes(path, "latest manifest", InputLimit.Manifest);
        try
        {
            var existing = NfOta.Manifest.UpdateManifest.Parse(bytes, bytes.Length);
            return existing.Version.CompareTo(version) > 0 ? existing.Version.Text : null;
        }
        catch (NfOta.OtaException)
        {
            return null; // not a manifest a device could read: replacing it loses nothing
        }
    }

    /// <summary>The image checks ESP-IDF's esp_image_verify makes before a slot is booted; throws with the reason.</summary>
    public static AppImage Validate(byte[] image)
    {
        AppImage parsed;
        try
        {
            parsed = AppImage.Parse(image);
        }
        catch (Esp32FormatException e)
        {
            // One line, one code: the format's own (image-bad-magic, image-truncated, ...).
            throw new PackagingException(e.Code, $"the image is not a valid ESP32 app: {e.Message}", e);
        }
        if (parsed.Chip is null)
        {
            throw new PackagingException("image-invalid", $"the image is for an unknown chip id {parsed.Header.ChipId}");
        }
        if (parsed.Description is null)
        {
            throw new PackagingException("image-invalid", "the image has no app description (esp_app_desc_t): it cannot say its version");
        }
        if (HasSignatureSector(image, parsed))
        {
            var sector = image.AsSpan(parsed.SignatureSectorOffset, SignatureSector.Size);
            var blocks = SignatureSector.ValidBlocks(sector, parsed.Chip.MaxSignatureBlocks);
            if (blocks.Count == 0)
            {
                throw new PackagingException("image-invalid", "the image's secure boot signature sector holds no valid signature block (CRC or digest wrong)");
            }
            // The chip's ROM and bootloader verify only their own schemes (EspChip.SecureBootSchemes).
            if (!blocks.Any(b => (parsed.Chip.SecureBootSchemes & b.Block.Scheme) != 0))
            {
                throw new PackagingException("image-invalid",
                    $"the image is signed with {string.Join(", ", blocks.Select(b => b.Block.Scheme).Distinct())}, but {parsed.Chip.DisplayName}'s secure boot v2 " +
                    $"verifies only {parsed.Chip.SecureBootSchemes}: sign it with a key of that scheme");
            }
        }
        return parsed;
    }

    private static bool HasSignatureSector(byte[] image, AppImage parsed) => image.Length >= parsed.SignedLength && parsed.SignatureSectorOffset > 0;
}
