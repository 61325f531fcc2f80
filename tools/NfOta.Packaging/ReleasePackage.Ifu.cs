using System.Security.Cryptography;
using NfOta.McuBoot.Signing;

namespace NfOta.Packaging;

/// <summary>What <c>nfota pack --ifu</c> is asked to release: one MCUboot image for nanoFramework's UpdateManager.</summary>
public sealed record IfuRequest
{
    /// <summary>The MCUboot file as imgtool (or nfota mcuboot sign) wrote it; published byte for byte.</summary>
    public required byte[] Image { get; init; }

    /// <summary>The key the device has built in: the image's EC256 signature must verify with it; null: not checked here.</summary>
    public Ec256Key? Key { get; init; }

    /// <summary>Take an image without a signature (for development boards built to take unsigned images).</summary>
    public bool AllowUnsigned { get; init; }

    /// <summary>The chip: required for a deployment; for a nanoCLR image it must be the image's.</summary>
    public string? Chip { get; init; }

    /// <summary>NAME in NAME-VERSION (default: a nanoCLR image's project name, else "app").</summary>
    public string? Name { get; init; }

    public required string UrlBase { get; init; }

    public required string OutDirectory { get; init; }

    /// <summary>As <see cref="ReleaseRequest.ReplacePublished"/>.</summary>
    public bool ReplacePublished { get; init; } = true;
}

public sealed partial record ReleasePackage
{
    /// <summary>The in-field-update package of an IFU release, or null.</summary>
    public IfuImage? Ifu { get; init; }

    /// <summary>
    /// An in-field-update release: the MCUboot file checked as the device's Complete would check it
    /// (<see cref="IfuImageCheck"/>), copied as NAME-VERSION.ifu.bin, with a format 3 manifest that
    /// nf-ota's updater refuses (older parsers by its header, this one with ifu-release) and an app
    /// using UpdateManager reads. The release rules are pack's: release-exists, latest.manifest kept
    /// when it names a newer version, all files or none.
    /// </summary>
    public static ReleasePackage CreateIfu(IfuRequest request, ManifestKey key)
    {
        var ifu = IfuImageCheck.Check(request.Image, request.Key, request.AllowUnsigned);
        string chip;
        string? project = null;
        if (ifu.Chip is not null)
        {
            if (request.Chip is not null && request.Chip != ifu.Chip)
            {
                throw new PackagingException("bad-argument", $"--chip {request.Chip} but the package's nanoCLR image is for {ifu.Chip}");
            }
            chip = ifu.Chip;
            project = ReleaseName.Safe(Validate(request.Image.AsSpan(ifu.Image.Header.HeaderSize, (int)ifu.Image.Header.ImageSize).ToArray()).Description?.ProjectName);
        }
        else
        {
            chip = request.Chip ?? throw new PackagingException("bad-argument", "an IFU deployment package needs --chip (the chip of the boards it is for): its payload does not say");
        }
        if (request.Name is not null)
        {
            project = ReleaseName.Safe(request.Name) ?? throw new PackagingException("bad-argument", $"--name '{request.Name}' has no letter or digit to name the release's files with");
        }
        project ??= ReleaseName.Fallback;

        var version = ifu.ReleaseVersion;
        var stem = $"{project}-{version}";
        var file = stem + ".ifu.bin";
        var url = new Uri(DownloadBase(request.UrlBase), file).ToString();
        var sha = SHA256.HashData(request.Image);
        var manifest = ManifestWriter.Sign(key, new ManifestContent
        {
            Chip = chip, Version = version,
            Ifu = new ManifestIfu(ifu.ImageType, ifu.Version.ToString(), request.Image.Length, sha, url, ifu.Dependencies),
        });

        OutputFolder.Create(request.OutDirectory);
        var files = new List<AtomicFile.Entry>
        {
            new(Path.Combine(request.OutDirectory, file), request.Image),
            new(Path.Combine(request.OutDirectory, stem + ".manifest"), manifest),
        };
        CheckPublished(request.OutDirectory, stem, files, encrypted: false, request.ReplacePublished);
        var newer = NewerLatest(Path.Combine(request.OutDirectory, LatestManifest), NfOta.Model.FirmwareVersion.TryParse(version)!);
        if (newer is null)
        {
            files.Add(new(Path.Combine(request.OutDirectory, LatestManifest), manifest));
        }
        AtomicFile.WriteAll(files);
        return new ReleasePackage(request.OutDirectory, file, stem + ".manifest", chip, version, 0, request.Image.Length, sha, url, ifu.SignatureChecked, newer ?? version)
        {
            Ifu = ifu,
        };
    }
}
