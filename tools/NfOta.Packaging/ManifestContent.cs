using NfOta.Manifest;
using NfOta.NanoFramework;

namespace NfOta.Packaging;

/// <summary>
/// What a format 2 manifest says, before it is written: <see cref="ManifestWriter"/> renders it,
/// parses the text back with the device's parser and compares the two before signing.
/// </summary>
public sealed record ManifestContent
{
    public required string Chip { get; init; }

    public required string Version { get; init; }

    public ManifestFirmware? Firmware { get; init; }

    public ManifestApp? App { get; init; }

    public string? MinVersion { get; init; }

    /// <summary>An in-field-update package: a format 3 manifest of this part alone (no firmware, app or min-version).</summary>
    public ManifestIfu? Ifu { get; init; }

    /// <summary>The signed part, in the order nfota has always written it (tests and diffs rely on it).</summary>
    public string Body()
    {
        if (Ifu is not null)
        {
            return $"{ManifestFormat.Header3}\n{ManifestFormat.Chip}={Chip}\n{ManifestFormat.Version}={Version}\n" + Ifu.Lines();
        }
        var body = $"{ManifestFormat.Header2}\n{ManifestFormat.Chip}={Chip}\n{ManifestFormat.Version}={Version}\n";
        body += Firmware?.Lines() ?? "";
        body += App?.Lines() ?? "";
        return MinVersion is null ? body : body + $"{ManifestFormat.MinVersion}={MinVersion}\n";
    }
}

/// <summary>The firmware part of a manifest; the hashes describe the plaintext image.</summary>
public sealed record ManifestFirmware
{
    public required int SecureVersion { get; init; }

    public required int Size { get; init; }

    public required byte[] Sha256 { get; init; }

    public required string Url { get; init; }

    public required int BlockSize { get; init; }

    public required byte[] BlockSha256 { get; init; }

    /// <summary>The pre-encrypted file's length; 0 when the image is published as it is.</summary>
    public int EncryptedSize { get; init; }

    /// <summary>The pre-encrypted file's SHA-256 (what is downloaded); null when the image is published as it is.</summary>
    public byte[]? EncryptedSha256 { get; init; }

    /// <summary>The firmware's native table, when the image carries one.</summary>
    public NativeAssemblyTable? Natives { get; init; }

    internal string Lines()
    {
        var lines = $"{ManifestFormat.SecureVersion}={SecureVersion}\n"
            + $"{ManifestFormat.Size}={Size}\n"
            + $"{ManifestFormat.Sha256}={Convert.ToHexStringLower(Sha256)}\n"
            + $"{ManifestFormat.Url}={Url}\n"
            + $"{ManifestFormat.BlockSize}={BlockSize}\n"
            + $"{ManifestFormat.BlockSha256}={Convert.ToHexStringLower(BlockSha256)}\n";
        if (EncryptedSize > 0)
        {
            lines += $"{ManifestFormat.EncryptedSize}={EncryptedSize}\n";
        }
        if (EncryptedSha256 is not null)
        {
            lines += $"{ManifestFormat.EncryptedSha256}={Convert.ToHexStringLower(EncryptedSha256)}\n";
        }
        return Natives is null ? lines : lines + $"{ManifestFormat.FirmwareNatives}={Natives.ManifestForm()}\n";
    }
}

/// <summary>The app part of a manifest.</summary>
public sealed record ManifestApp(int Size, byte[] Sha256, string Url, NativeAssemblyTable Natives)
{
    internal string Lines() =>
        $"{ManifestFormat.AppSize}={Size}\n"
        + $"{ManifestFormat.AppSha256}={Convert.ToHexStringLower(Sha256)}\n"
        + $"{ManifestFormat.AppUrl}={Url}\n"
        + $"{ManifestFormat.AppNatives}={Natives.ManifestForm()}\n";
}

/// <summary>The in-field-update part of a format 3 manifest: the MCUboot file, its image type, version and dependencies.</summary>
public sealed record ManifestIfu(string Image, string IfuVersion, int Size, byte[] Sha256, string Url, IReadOnlyList<string> Dependencies)
{
    internal string Lines() =>
        $"{ManifestFormat.IfuImage}={Image}\n"
        + $"{ManifestFormat.IfuVersion}={IfuVersion}\n"
        + $"{ManifestFormat.Size}={Size}\n"
        + $"{ManifestFormat.Sha256}={Convert.ToHexStringLower(Sha256)}\n"
        + $"{ManifestFormat.Url}={Url}\n"
        + (Dependencies.Count == 0 ? "" : $"{ManifestFormat.IfuDependencies}={string.Join(',', Dependencies)}\n");
}
