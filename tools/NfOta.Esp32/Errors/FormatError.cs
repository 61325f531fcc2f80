namespace NfOta.Esp32.Errors;

/// <summary>
/// Every way an ESP32 format can be rejected. The enum name, in kebab case, is the stable
/// code printed by the CLI and matched by scripts, so names are never reused or renamed.
/// </summary>
public enum FormatError
{
    InvalidArgument,
    KeyLength,
    Alignment,
    UnknownChip,
    InvalidKey,

    PartitionCsvSyntax,
    PartitionUnknownKeyword,
    PartitionNameInvalid,
    PartitionDuplicateName,
    PartitionOverlap,
    PartitionMisaligned,
    PartitionOtadataDuplicate,
    PartitionOtadataSize,
    PartitionReadonlyNotAllowed,
    PartitionTableTooLong,
    PartitionBadMagic,
    PartitionMd5Mismatch,
    PartitionNoEndMarker,
    PartitionTableLength,

    OtaDataLength,

    ImageTruncated,
    ImageBadMagic,
    ImageChipMismatch,
    ImageTooManySegments,
    ImageSegmentLength,
    ImageSegmentMisaligned,
    ImageChecksumMismatch,
    ImageHashMismatch,
    ImageAppDescMissing,
    ImageTooLargeForPartition,
    ImageBuild,

    SignatureMissing,
    SignatureInvalid,
    SignatureUnsupportedKey,
    SignatureDigestMismatch,
    SignatureNotSector,
    SignatureSectorFull,
    SignatureSectorDamaged,

    PartitionTableEmpty,
    PartitionNvsTooSmall,

    EncryptedImageTruncated,
    EncryptedImageMagic,
    EncryptedImageKey,
    EncryptedImageTag,
}

public static class FormatErrorExtensions
{
    /// <summary>Stable, script-friendly code: <c>PartitionOverlap</c> becomes <c>partition-overlap</c>.</summary>
    public static string ToCode(this FormatError error)
    {
        var name = error.ToString();
        var chars = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0) chars.Append('-');
            chars.Append(char.ToLowerInvariant(c));
        }
        return chars.ToString();
    }
}
