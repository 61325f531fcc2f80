namespace NfOta
{
    /// <summary>What went wrong, one value per kind of failure. <see cref="OtaErrors.Code"/> gives its stable text.</summary>
    public enum OtaError
    {
        /// <summary>The connection failed, dropped or timed out (after the retries).</summary>
        Network,
        /// <summary>The server answered with an error status.</summary>
        HttpStatus,
        /// <summary>The manifest is not in the expected form.</summary>
        ManifestInvalid,
        /// <summary>The manifest's signature does not verify with the app's public key.</summary>
        ManifestSignature,
        /// <summary>The update is for another chip.</summary>
        WrongChip,
        /// <summary>The image does not fit the update slot.</summary>
        ImageTooLarge,
        /// <summary>The offered version is not newer than the running one.</summary>
        NotNewer,
        /// <summary>The running version is below the manifest's minimum.</summary>
        VersionTooOld,
        /// <summary>The image's secure_version is below the device's anti-rollback counter.</summary>
        SecureVersionTooLow,
        /// <summary>The download's size differs from the manifest's.</summary>
        SizeMismatch,
        /// <summary>The download's SHA-256 differs from the manifest's.</summary>
        HashMismatch,
        /// <summary>ESP-IDF rejected the image (format, chip, secure boot signature).</summary>
        ImageRejected,
        /// <summary>Writing flash failed.</summary>
        FlashError,
        /// <summary>The app cancelled the update.</summary>
        Cancelled,
        /// <summary>The running firmware is still pending verification: confirm or roll back first.</summary>
        PendingVerify,
        /// <summary>Rolling back was asked for but is not possible.</summary>
        RollbackFailed,
        /// <summary>The native component reported an unexpected failure.</summary>
        NativeError,
        /// <summary>A finished update waits for its reboot: restart before installing another.</summary>
        RebootPending,
        /// <summary>The release's app needs native assemblies or checksums its firmware does not provide.</summary>
        IncompatibleFirmware,
        /// <summary>The release carries an app but the board has no deploy partition paired with its OTA slots.</summary>
        NoAppPartition,
        /// <summary>The release is pre-encrypted, and this board has no usable device key (no nfota_key partition, blank or damaged).</summary>
        NoDeviceKey,
        /// <summary>The release was pre-encrypted for another device key (or the other scheme).</summary>
        WrongDeviceKey,
        /// <summary>A JSON body is malformed, too deep, too large or has too many values.</summary>
        JsonInvalid,
        /// <summary>The DDI server's answer is JSON but not the shape hawkBit's DDI API defines (a field missing or of the wrong type).</summary>
        DdiInvalid,
        /// <summary>A DDI deployment carries no artifact whose file name ends with ".manifest": no nf-ota release to install.</summary>
        DdiNoManifest,
        /// <summary>The release is an in-field-update package (format 3 manifest): an app installs it through nanoFramework.Runtime.InFieldUpdate, never nf-ota's updater.</summary>
        IfuRelease,
    }

    /// <summary>Stable, script-friendly codes for <see cref="OtaError"/>.</summary>
    public static class OtaErrors
    {
        public static string Code(OtaError error)
        {
            switch (error)
            {
                case OtaError.Network: return "network";
                case OtaError.HttpStatus: return "http-status";
                case OtaError.ManifestInvalid: return "manifest-invalid";
                case OtaError.ManifestSignature: return "manifest-signature";
                case OtaError.WrongChip: return "wrong-chip";
                case OtaError.ImageTooLarge: return "image-too-large";
                case OtaError.NotNewer: return "not-newer";
                case OtaError.VersionTooOld: return "version-too-old";
                case OtaError.SecureVersionTooLow: return "secure-version-too-low";
                case OtaError.SizeMismatch: return "size-mismatch";
                case OtaError.HashMismatch: return "hash-mismatch";
                case OtaError.ImageRejected: return "image-rejected";
                case OtaError.FlashError: return "flash-error";
                case OtaError.Cancelled: return "cancelled";
                case OtaError.PendingVerify: return "pending-verify";
                case OtaError.RollbackFailed: return "rollback-failed";
                case OtaError.RebootPending: return "reboot-pending";
                case OtaError.IncompatibleFirmware: return "incompatible-firmware";
                case OtaError.NoAppPartition: return "no-app-partition";
                case OtaError.NoDeviceKey: return "no-device-key";
                case OtaError.WrongDeviceKey: return "wrong-device-key";
                case OtaError.JsonInvalid: return "json-invalid";
                case OtaError.DdiInvalid: return "ddi-invalid";
                case OtaError.DdiNoManifest: return "ddi-no-manifest";
                case OtaError.IfuRelease: return "ifu-release";
                default: return "native-error";
            }
        }
    }
}
