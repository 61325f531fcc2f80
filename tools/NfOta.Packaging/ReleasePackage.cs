using System.Security.Cryptography;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Packaging;

/// <summary>
/// A release in a directory: the image (PROJECT-VERSION.bin), its signed manifest
/// (PROJECT-VERSION.manifest) and latest.manifest, a copy of the newest one, which devices poll.
/// </summary>
/// <param name="LatestVersion">The version latest.manifest names after packing: this one, or a newer one already there.</param>
public sealed record ReleasePackage(string Directory, string ImageFile, string ManifestFile, string Chip, string Version, int SecureVersion, int Size, byte[] Sha256, string Url, bool Signed, string LatestVersion)
{
    public const string LatestManifest = "latest.manifest";

    /// <summary>
    /// Validate <paramref name="image"/> (format, hash, app description; its secure boot signature
    /// sector when present) and write it with a manifest signed by <paramref name="key"/>.
    /// </summary>
    public static ReleasePackage Create(byte[] image, ManifestKey key, string urlBase, string outDirectory, string? minVersion = null)
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

        var project = SafeName(description.ProjectName.Length > 0 ? description.ProjectName : "firmware");
        var stem = $"{project}-{description.Version}";
        var imageFile = stem + ".bin";
        var url = new Uri(baseUri, imageFile).ToString();
        var chip = parsed.Chip!.Name;
        var sha = SHA256.HashData(image);
        var manifest = SignedManifest.Create(key, chip, description.Version, (int)description.SecureVersion, image.Length, sha, url, minVersion);

        // All files or none: a package with an image and no manifest misleads whoever serves it.
        OutputFolder.Create(outDirectory);
        var files = new List<AtomicFile.Entry>
        {
            new(Path.Combine(outDirectory, imageFile), image),
            new(Path.Combine(outDirectory, stem + ".manifest"), manifest),
        };
        // Packing an older release (a fix for an old branch, a rebuild) must not move devices' latest.manifest back.
        var newer = NewerLatest(Path.Combine(outDirectory, LatestManifest), version);
        if (newer is null)
        {
            files.Add(new(Path.Combine(outDirectory, LatestManifest), manifest));
        }
        AtomicFile.WriteAll(files);
        return new ReleasePackage(outDirectory, imageFile, stem + ".manifest", chip, description.Version, (int)description.SecureVersion, image.Length, sha, url,
            HasSignatureSector(image, parsed), newer ?? description.Version);
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
        return baseUri;
    }

    /// <summary>The version of the latest.manifest already in the folder when it is newer than <paramref name="version"/>.</summary>
    private static string? NewerLatest(string path, NfOta.Model.FirmwareVersion version)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = InputFile.ReadAllBytes(path, "latest manifest");
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
            throw new PackagingException("image-invalid", $"the image is not a valid ESP32 app: {e.Message} [{e.Code}]", e);
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
            if (SignatureSector.ValidBlocks(sector).Count == 0)
            {
                throw new PackagingException("image-invalid", "the image's secure boot signature sector holds no valid signature block (CRC or digest wrong)");
            }
        }
        return parsed;
    }

    private static bool HasSignatureSector(byte[] image, AppImage parsed) => image.Length >= parsed.SignedLength && parsed.SignatureSectorOffset > 0;

    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars).Trim('.');
    }
}
