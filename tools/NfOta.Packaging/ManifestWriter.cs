using System.Text;
using NfOta.Manifest;
using NfOta.Model;
using NfOta.NanoFramework;

namespace NfOta.Packaging;

/// <summary>
/// Writes and signs a manifest only when the device would read back exactly what was meant: every
/// value passes the device parser's rules first, then the text is parsed with the device's own
/// parser and compared field by field. A value that smuggles in a line ("esp32\nmin-version=9.9.9")
/// is refused, never signed.
/// </summary>
public static class ManifestWriter
{
    /// <summary>"signature=" and 128 hex digits and a newline: what signing will append.</summary>
    private static readonly string PlaceholderSignature = $"{ManifestFormat.SignatureKey}={new string('0', 128)}\n";

    public static byte[] Sign(ManifestKey key, ManifestContent content)
    {
        CheckValues(content);
        var body = Encoding.ASCII.GetBytes(content.Body());
        if (body.Length + PlaceholderSignature.Length > ManifestFormat.MaxLength)
        {
            throw new PackagingException("manifest-too-long", $"the manifest would be {body.Length + PlaceholderSignature.Length} bytes; devices read at most {ManifestFormat.MaxLength}");
        }
        var parsed = ParseBack(body);
        if (Difference(content, parsed) is { } field)
        {
            throw new PackagingException("manifest-mismatch", $"the manifest's {field} would read differently on a device than what was packed (a value holds a line break or a character the format cannot carry); nothing was written");
        }
        return SignedManifest.SignBody(key, body);
    }

    /// <summary>The values the device parser restricts, refused with what to give instead.</summary>
    private static void CheckValues(ManifestContent content)
    {
        if (Chips.IdOf(content.Chip) < 0)
        {
            throw new PackagingException("bad-argument", $"chip '{content.Chip}' is not one of esp32, esp32s2, esp32s3, esp32c2, esp32c3, esp32c6, esp32h2: give --chip as devices spell it (lower case, no spaces)");
        }
        foreach (var version in new[] { content.Version, content.MinVersion })
        {
            if (version is not null && FirmwareVersion.TryParse(version) is null)
            {
                throw new PackagingException("bad-argument", $"version '{version}' is not numbers joined by dots (like 1.1.0)");
            }
        }
        CheckNames(content.Firmware?.Natives, "the firmware's native table");
        CheckNames(content.App?.Natives, "the app");
    }

    private static void CheckNames(NativeAssemblyTable? natives, string where)
    {
        var bad = natives?.Assemblies.FirstOrDefault(a => !NativeAssemblyList.IsValidName(a.Name));
        if (bad is not null)
        {
            throw new PackagingException("assembly-name-invalid",
                $"{where} names a native assembly '{bad.Name}' a manifest cannot carry (only letters, digits, '.', '_' and '-'): rename the assembly");
        }
    }

    /// <summary>The body as a device parses it, with a placeholder where the signature will go.</summary>
    private static UpdateManifest ParseBack(byte[] body)
    {
        byte[] whole = [.. body, .. Encoding.ASCII.GetBytes(PlaceholderSignature)];
        try
        {
            return UpdateManifest.Parse(whole, whole.Length);
        }
        catch (OtaException e)
        {
            throw new PackagingException("manifest-invalid", $"a device would refuse this manifest ({e.Message}); nothing was written", e);
        }
    }

    /// <summary>The first manifest key whose parsed value is not the one meant, or null when all match.</summary>
    public static string? Difference(ManifestContent content, UpdateManifest parsed)
    {
        if (content.Ifu is not null)
        {
            return IfuDifference(content, content.Ifu, parsed);
        }
        if (parsed.FormatVersion != 2) return "format";
        if (parsed.Chip != content.Chip) return ManifestFormat.Chip;
        if (parsed.Version.Text != content.Version) return ManifestFormat.Version;
        if (parsed.MinVersion?.Text != content.MinVersion) return ManifestFormat.MinVersion;
        return FirmwareDifference(content.Firmware, parsed) ?? AppDifference(content.App, parsed);
    }

    private static string? FirmwareDifference(ManifestFirmware? firmware, UpdateManifest parsed)
    {
        if (firmware is null) return parsed.HasFirmware || parsed.BlockSize != 0 || parsed.IsEncrypted || parsed.FirmwareNatives is not null ? "firmware part" : null;
        if (parsed.SecureVersion != firmware.SecureVersion) return ManifestFormat.SecureVersion;
        if (parsed.Size != firmware.Size) return ManifestFormat.Size;
        if (!parsed.Sha256.AsSpan().SequenceEqual(firmware.Sha256)) return ManifestFormat.Sha256;
        if (parsed.Url != firmware.Url) return ManifestFormat.Url;
        if (parsed.BlockSize != firmware.BlockSize) return ManifestFormat.BlockSize;
        if (!(parsed.BlockSha256 ?? []).AsSpan().SequenceEqual(firmware.BlockSha256)) return ManifestFormat.BlockSha256;
        if (parsed.EncryptedSize != firmware.EncryptedSize) return ManifestFormat.EncryptedSize;
        if (!(parsed.EncryptedSha256 ?? []).AsSpan().SequenceEqual(firmware.EncryptedSha256 ?? [])) return ManifestFormat.EncryptedSha256;
        return parsed.FirmwareNatives?.Format() != firmware.Natives?.ManifestForm() ? ManifestFormat.FirmwareNatives : null;
    }

    private static string? IfuDifference(ManifestContent content, ManifestIfu ifu, UpdateManifest parsed)
    {
        if (parsed.FormatVersion != 3 || content.Firmware is not null || content.App is not null || content.MinVersion is not null) return "format";
        if (parsed.Chip != content.Chip) return ManifestFormat.Chip;
        if (parsed.Version.Text != content.Version) return ManifestFormat.Version;
        if (parsed.IfuImageType != (ifu.Image == ManifestFormat.IfuNanoClr ? 0 : 1) || (ifu.Image is not ManifestFormat.IfuNanoClr and not ManifestFormat.IfuDeployment)) return ManifestFormat.IfuImage;
        if (parsed.IfuVersion.Text != ifu.IfuVersion) return ManifestFormat.IfuVersion;
        if (parsed.IfuSize != ifu.Size) return ManifestFormat.Size;
        if (!parsed.IfuSha256.AsSpan().SequenceEqual(ifu.Sha256)) return ManifestFormat.Sha256;
        if (parsed.IfuUrl != ifu.Url) return ManifestFormat.Url;
        return parsed.IfuDependencies.Select(d => d.ToString()).SequenceEqual(ifu.Dependencies) ? null : ManifestFormat.IfuDependencies;
    }

    private static string? AppDifference(ManifestApp? app, UpdateManifest parsed)
    {
        if (app is null) return parsed.HasApp ? "app part" : null;
        if (parsed.AppSize != app.Size) return ManifestFormat.AppSize;
        if (!parsed.AppSha256.AsSpan().SequenceEqual(app.Sha256)) return ManifestFormat.AppSha256;
        if (parsed.AppUrl != app.Url) return ManifestFormat.AppUrl;
        return parsed.AppNatives.Format() != app.Natives.ManifestForm() ? ManifestFormat.AppNatives : null;
    }
}
