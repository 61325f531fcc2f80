using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Model;
using NfOta.Policy;

namespace NfOta.Engine
{
    /// <summary>
    /// The plan stage: whether this board may take this release now (nothing pending, the policy,
    /// a paired deploy partition for an app, natives the app binds to), and what the update will
    /// write: which slot, how much firmware, and how much of an interrupted attempt's image the slot
    /// already holds, verified block by block. Nothing is written here.
    /// </summary>
    internal sealed class UpdatePlan
    {
        private UpdatePlan()
        {
        }

        /// <summary>The OTA slot the update goes to.</summary>
        public string Slot { get; private set; }

        /// <summary>The board pairs a deploy partition with each OTA slot: the app goes with the firmware.</summary>
        public bool Paired { get; private set; }

        /// <summary>Bytes of firmware the slot gets: the release's image, or the running one's copy.</summary>
        public int FirmwareSize { get; private set; }

        /// <summary>Bytes at the start of the slot that are verified blocks of this very image (resume from there).</summary>
        public int Kept { get; private set; }

        public static UpdatePlan Make(UpdateManifest manifest, DeviceState device, bool allowSameOrOlder)
        {
            CheckNothingPending(device);
            UpdatePolicy.Check(manifest, device, allowSameOrOlder);
            bool paired = device.UpdateAppPartition != null;
            if (manifest.HasApp && !paired)
            {
                throw new OtaException(OtaError.NoAppPartition,
                    "this release carries an app, but this board's OTA slots share one deploy partition: app updates need deploy_0 and deploy_1 (native/nf-interpreter/partitions)");
            }
            if (paired)
            {
                CheckCompatible(manifest, device);
            }
            var plan = new UpdatePlan { Slot = device.UpdateSlot.Label, Paired = paired };
            plan.FirmwareSize = manifest.HasFirmware ? manifest.Size : RunningImage.Length("", device.RunningSlot.Size);
            // An interrupted download of this very image may have left verified blocks in the slot
            // (read back and checked against the signed block hashes: nothing else is trusted).
            // (Not for a pre-encrypted image: GCM decrypts in one pass from the start.)
            plan.Kept = manifest.HasFirmware && !manifest.IsEncrypted ? SlotReadBack.VerifiedPrefix(plan.Slot, manifest) : 0;
            return plan;
        }

        /// <summary>ESP-IDF 5.5 has no way back once this slot's otadata is written again: nothing may be pending.</summary>
        private static void CheckNothingPending(DeviceState device)
        {
            if (device.RunningState == NativeOtaStatus.StatePendingVerify)
            {
                throw new OtaException(OtaError.PendingVerify,
                    "the running firmware (" + device.RunningSlot.Label + ") is still pending verification: run RollbackGuard at start-up to confirm it before updating");
            }
            if (device.BootSlot != null && device.BootSlot.Label != device.RunningSlot.Label)
            {
                // ESP-IDF 5.5 would write this update's otadata entry over the running firmware's,
                // leaving no way back to it.
                throw new OtaException(OtaError.RebootPending,
                    "an update to " + device.BootSlot.Label + " is installed and waits for a reboot: restart the board (and confirm the new firmware) before installing another");
            }
        }

        /// <summary>
        /// The app the update slot will run must bind to the firmware it will run with: every native
        /// assembly it needs, with the same checksum. Checked before anything is written.
        /// </summary>
        private static void CheckCompatible(UpdateManifest manifest, DeviceState device)
        {
            NativeAssemblyList provided = manifest.HasFirmware ? manifest.FirmwareNatives : DeviceState.ReadFirmwareNatives();
            NativeAssemblyList needs = manifest.HasApp ? manifest.AppNatives : device.RunningAppImage.Needs;
            if (provided == null)
            {
                // The packer could not read the new firmware's table: nanoCLR decides at boot, and an
                // app that does not start never confirms, so the boot guard rolls both back.
                return;
            }
            string mismatch = provided.Mismatch(needs);
            if (mismatch != null)
            {
                throw new OtaException(OtaError.IncompatibleFirmware,
                    (manifest.HasFirmware ? "the release's firmware" : "the running firmware") + " cannot run "
                    + (manifest.HasApp ? "the release's app" : "the running app") + ": " + mismatch + "; nothing was written");
            }
        }
    }
}
