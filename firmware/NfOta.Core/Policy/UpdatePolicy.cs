using NfOta.Device;
using NfOta.Manifest;
using NfOta.Model;

namespace NfOta.Policy
{
    /// <summary>
    /// Whether a (signature-checked) manifest may be installed on this board: right chip, fits the
    /// slot, newer than what runs (unless forced), updatable from the running version, and not below
    /// the anti-rollback counter. Pure: the same answer for the same inputs.
    /// </summary>
    public static class UpdatePolicy
    {
        /// <summary>The bytes an app may take in a deploy partition: all but the record sector.</summary>
        public static int AppCapacity(SlotInfo appPartition)
        {
            return Model.AppRecord.OffsetIn(appPartition.Size);
        }

        /// <summary>True when the manifest offers something newer than the running firmware.</summary>
        public static bool IsNewer(UpdateManifest manifest, DeviceState device)
        {
            return device.RunningVersion == null || manifest.Version.CompareTo(device.RunningVersion) > 0;
        }

        /// <summary>Throws <see cref="OtaException"/> with the reason when the update must not be installed.</summary>
        public static void Check(UpdateManifest manifest, DeviceState device, bool allowSameOrOlder)
        {
            if (manifest.IsIfu)
            {
                // It has no firmware or app part for the engine, and its file is an MCUboot image, not an ESP-IDF app.
                throw new OtaException(OtaError.IfuRelease,
                    "release " + manifest.Version.Text + " is an in-field-update package (an MCUboot image for UpdateManager, nanoFramework.Runtime.InFieldUpdate): nf-ota's updater does not install it; nothing was written");
            }
            if (manifest.ChipId != device.ChipId)
            {
                throw new OtaException(OtaError.WrongChip,
                    "image is for chip " + Chips.Describe(manifest.ChipId) + " but this board is " + Chips.Describe(device.ChipId));
            }
            if (manifest.HasFirmware && manifest.Size > device.UpdateSlot.Size)
            {
                throw new OtaException(OtaError.ImageTooLarge,
                    "image is " + manifest.Size.ToString() + " bytes but slot " + device.UpdateSlot.Label + " holds " + device.UpdateSlot.Size.ToString());
            }
            if (!allowSameOrOlder && !IsNewer(manifest, device))
            {
                throw new OtaException(OtaError.NotNewer,
                    "version " + manifest.Version.Text + " is not newer than the running " + device.RunningVersion.Text + " (force the update to install it anyway)");
            }
            if (manifest.MinVersion != null && (device.RunningVersion == null || device.RunningVersion.CompareTo(manifest.MinVersion) < 0))
            {
                throw new OtaException(OtaError.VersionTooOld,
                    "version " + manifest.Version.Text + " can only replace " + manifest.MinVersion.Text + " or later, but this board runs "
                    + (device.RunningVersion == null ? "an unversioned app" : device.RunningVersion.Text) + ": install an intermediate release first");
            }
            if (manifest.HasApp && device.UpdateAppPartition != null && manifest.AppSize > AppCapacity(device.UpdateAppPartition))
            {
                throw new OtaException(OtaError.ImageTooLarge,
                    "the app is " + manifest.AppSize.ToString() + " bytes but " + device.UpdateAppPartition.Label + " holds " + AppCapacity(device.UpdateAppPartition).ToString()
                    + " (its last 4 KiB sector keeps nf-ota's release record)");
            }
            if (manifest.HasFirmware && manifest.SecureVersion < device.SecureVersion)
            {
                throw new OtaException(OtaError.SecureVersionTooLow,
                    "image has secure_version " + manifest.SecureVersion.ToString() + " but this board only boots "
                    + device.SecureVersion.ToString() + " or higher (anti-rollback eFuse)");
            }
        }
    }
}
