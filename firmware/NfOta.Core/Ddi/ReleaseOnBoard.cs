using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Model;

namespace NfOta.Ddi
{
    /// <summary>
    /// Finds a (verified) release on the board from what the engine already leaves there, so a
    /// DDI client needs no storage of its own to report after a restart: a slot holds the release
    /// when its firmware's SHA-256 over the manifest's size is the signed one and, on a board with
    /// paired deploy partitions, nf-ota's release record beside it names the release's version
    /// (and the signed app SHA-256 for a release with an app). otadata says the rest.
    /// </summary>
    public static class ReleaseOnBoard
    {
        public static ReleasePlace Find(UpdateManifest manifest, DeviceState device)
        {
            if (Holds(device.RunningSlot, device.RunningAppImage, manifest))
            {
                return device.RunningState == NativeOtaStatus.StatePendingVerify ? ReleasePlace.RunningPending : ReleasePlace.RunningConfirmed;
            }
            SlotInfo other = device.UpdateSlot;
            DeployedApp otherApp = device.UpdateAppPartition == null ? null : DeployedApp.Read(device.UpdateAppPartition);
            if (!Holds(other, otherApp, manifest))
            {
                return ReleasePlace.Nowhere;
            }
            if (device.BootSlot != null && device.BootSlot.Label == other.Label)
            {
                return ReleasePlace.AwaitingReboot;
            }
            int state = NativeOta.GetSlotState(other.Label);
            // A whole image that otadata rejects booted once and was rolled back (by the guard, the
            // boot guard or the bootloader). An interrupted download is never whole: it resumes.
            return state == NativeOtaStatus.StateInvalid || state == NativeOtaStatus.StateAborted ? ReleasePlace.RolledBack : ReleasePlace.Nowhere;
        }

        private static bool Holds(SlotInfo slot, DeployedApp app, UpdateManifest manifest)
        {
            if (manifest.HasFirmware && !FirmwareMatches(slot, manifest))
            {
                return false;
            }
            if (app == null)
            {
                // A board with one shared deploy partition: only the firmware tells.
                return manifest.HasFirmware && !manifest.HasApp;
            }
            var record = app.Record;
            if (record == null || record.Version != manifest.Version.Text)
            {
                return false;
            }
            return !manifest.HasApp || Text.Digest.Matches(record.Sha256, manifest.AppSha256, 0);
        }

        private static bool FirmwareMatches(SlotInfo slot, UpdateManifest manifest)
        {
            if (manifest.Size > slot.Size)
            {
                return false;
            }
            var digest = new byte[32];
            int status = NativeOta.HashPartition(slot.Label, 0, manifest.Size, digest);
            return status >= 0 && Text.Digest.Matches(digest, manifest.Sha256, 0);
        }
    }
}
