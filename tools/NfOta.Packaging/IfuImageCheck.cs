using NfOta.Manifest;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;

namespace NfOta.Packaging;

/// <summary>An in-field-update package as <see cref="IfuImageCheck"/> found it.</summary>
/// <param name="ImageType"><see cref="ManifestFormat.IfuNanoClr"/> or <see cref="ManifestFormat.IfuDeployment"/>.</param>
/// <param name="Chip">The chip of a nanoCLR payload (its ESP-IDF image header); null for a deployment.</param>
/// <param name="SignatureChecked">The EC256 signature verified with the given key.</param>
/// <param name="Signed">The image carries an ECDSA P-256 signature (checked or not).</param>
public sealed record IfuImage(McuBootImage Image, string ImageType, string? Chip, bool SignatureChecked, bool Signed)
{
    public ImageVersion Version => Image.Header.Version;

    /// <summary>The manifest's version: major.minor.revision, and .build when the build is not 0 (FirmwareVersion's form).</summary>
    public string ReleaseVersion => Version.Build == 0 ? $"{Version.Major}.{Version.Minor}.{Version.Revision}" : $"{Version.Major}.{Version.Minor}.{Version.Revision}.{Version.Build}";

    /// <summary>The manifest's ifu-dependencies entries: image:min-version.</summary>
    public IReadOnlyList<string> Dependencies => Image.Dependencies.Select(d => $"{d.ImageId}:{d.MinimumVersion}").ToList();
}

/// <summary>
/// What the device's UpdateManager Complete (native/nf_ota/src/nf_ota_ifu_verify.c, the session's
/// layout check) would refuse in an MCUboot file, found on the host: not MCUboot, a header or TLV
/// areas larger than the device keeps, flags other than PIC and ROM_FIXED, a hash that does not
/// match, no signature (unless allowed), with a key a signature that does not verify or names
/// another key, dependencies the device can never meet. Each refusal is a
/// <see cref="PackagingException"/> with a stable code.
/// </summary>
public static class IfuImageCheck
{
    /// <summary>NF_OTA_IFU_MAX_HEADER: the header sector keeps the header from byte 256 of 4096.</summary>
    public const int MaxHeader = 3840;

    /// <summary>NF_OTA_IFU_MAX_TLVS: both TLV areas are read into this much RAM.</summary>
    public const int MaxTlvs = 1024;

    /// <summary>NF_OTA_IFU_MAX_DEPENDENCIES.</summary>
    public const int MaxDependencies = 4;

    /// <summary>IMAGE_F_PIC | IMAGE_F_ROM_FIXED: the only flags the device takes.</summary>
    public const uint AllowedFlags = 0x1 | 0x100;

    /// <summary>An IFU signing key (EC P-256 PEM, public or private), refused with <c>mcuboot-invalid-key</c>.</summary>
    public static Ec256Key LoadKey(string pem)
    {
        try
        {
            return Ec256Key.FromPem(pem);
        }
        catch (McuBootFormatException e)
        {
            throw new PackagingException(e.Code, $"--ifu-key: {e.Message}", e);
        }
    }

    public static IfuImage Check(byte[] file, Ec256Key? key, bool allowUnsigned)
    {
        McuBootImage image;
        try
        {
            image = McuBootImage.Parse(file);
        }
        catch (McuBootFormatException e)
        {
            throw new PackagingException(e.Code, $"the IFU package is not an MCUboot image UpdateManager would take: {e.Message}", e);
        }
        var header = image.Header;
        if (header.HeaderSize > MaxHeader)
        {
            throw new PackagingException("ifu-header-too-large", $"the MCUboot header is {header.HeaderSize} bytes; the device keeps at most {MaxHeader} (sign with a smaller --header-size)");
        }
        var tlvBytes = file.Length - header.PayloadEnd;
        if (tlvBytes > MaxTlvs)
        {
            throw new PackagingException("ifu-tlvs-too-large",
                $"{tlvBytes} bytes follow the payload (TLV areas, and any slot padding); the device reads at most {MaxTlvs}: sign without --pad/--confirm/--test and with a key hash");
        }
        if ((header.Flags & ~AllowedFlags) != 0)
        {
            throw new PackagingException("ifu-flags-unsupported",
                $"the image's flags 0x{header.Flags:X} include 0x{header.Flags & ~AllowedFlags:X} (encrypted, compressed, RAM-load or non-bootable): the device takes only PIC (0x1) and ROM_FIXED (0x100)");
        }
        if (image.UnprotectedTlvs.Count(t => t.Type == TlvTypes.Sha256) != 1 || image.Dependencies.Count > MaxDependencies)
        {
            throw new PackagingException("ifu-tlv-invalid",
                $"the device takes exactly one SHA-256 TLV in the unprotected area and at most {MaxDependencies} dependencies; this image has {image.UnprotectedTlvs.Count(t => t.Type == TlvTypes.Sha256)} and {image.Dependencies.Count}");
        }
        var signed = image.UnprotectedTlvs.Any(t => t.Type == TlvTypes.EcdsaSignature);
        Verify(image, null);
        if (!signed && !allowUnsigned)
        {
            throw new PackagingException(image.UnprotectedTlvs.Any(t => TlvTypes.IsOtherSignature(t.Type)) ? "mcuboot-signature-unsupported" : "ifu-unsigned",
                "the image carries no EC256 signature, and the device checks one against its built-in key: sign it (nfota mcuboot sign --key), or --allow-unsigned for a development board built to take unsigned images");
        }
        // Unsigned and allowed: a development board's build checks the hash alone.
        var checkedSignature = signed && key is not null && Verify(image, key).SignatureChecked;
        var payload = file.AsSpan(header.HeaderSize, (int)header.ImageSize);
        var nanoClr = payload.Length > 0 && payload[0] == 0xE9;
        string? chip = null;
        if (nanoClr)
        {
            var app = ReleasePackage.Validate(payload.ToArray());
            chip = app.Chip!.Name;
        }
        var own = nanoClr ? 0 : 1;
        var impossible = image.Dependencies.FirstOrDefault(d => d.ImageId == own || d.ImageId > 1);
        if (impossible is not null)
        {
            throw new PackagingException("ifu-dependency-unmet",
                $"the image ({(nanoClr ? "nanoCLR, image 0" : "deployment, image 1")}) depends on image {impossible.ImageId}: the device meets only a dependency on the other image (0 nanoCLR, 1 deployment)");
        }
        return new IfuImage(image, nanoClr ? ManifestFormat.IfuNanoClr : ManifestFormat.IfuDeployment, chip, checkedSignature, signed);
    }

    private static VerifiedImage Verify(McuBootImage image, Ec256Key? key)
    {
        try
        {
            return ImageVerifier.Verify(image, key);
        }
        catch (McuBootFormatException e)
        {
            throw new PackagingException(e.Code, $"the device would refuse the IFU package: {e.Message}", e);
        }
    }
}
