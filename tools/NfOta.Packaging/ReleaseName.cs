using NfOta.Esp32.Images;
using NfOta.NanoFramework;

namespace NfOta.Packaging;

/// <summary>
/// The NAME in a release's NAME-VERSION files. A release with a firmware takes the firmware's
/// project name (its esp_app_desc_t). An app-only release takes, in this order: the name given
/// (--name), the project name of the firmware it runs with (--for-firmware), so that it sits
/// beside that product's firmware releases, the app's own assembly (the one no other given
/// assembly references), and last "app".
/// </summary>
public static class ReleaseName
{
    public const string Fallback = "app";

    public static string For(AppDescription? firmware, string? given, AppDescription? forFirmware, AppPart app)
    {
        if (Safe(firmware?.ProjectName) is { } project) return project;
        if (given is not null)
        {
            return Safe(given) ?? throw new PackagingException("bad-argument",
                $"--name '{given}' has no letter or digit to name the release's files with");
        }
        return Safe(forFirmware?.ProjectName) ?? Safe(OwnAssembly(app.Assemblies)) ?? Fallback;
    }

    /// <summary>The app's own assembly: the only one that no other assembly of the app references; null when there is not exactly one.</summary>
    public static string? OwnAssembly(IReadOnlyList<PeAssembly> assemblies)
    {
        var referenced = assemblies.SelectMany(a => a.References).Select(r => r.Name).ToHashSet();
        var roots = assemblies.Where(a => a.Name is not null && !referenced.Contains(a.Name)).ToList();
        return roots.Count == 1 ? roots[0].Name : null;
    }

    /// <summary>
    /// The name as a file name and URL segment: characters other than letters, digits, '-', '_'
    /// and '.' become '-', leading and trailing dots go; null when no letter or digit is left.
    /// </summary>
    public static string? Safe(string? name)
    {
        if (name is null) return null;
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Any(char.IsAsciiLetterOrDigit) ? safe : null;
    }
}
