using NfOta.Interop;
using NfOta.Model;

namespace NfOta.Device
{
    /// <summary>What the board says about itself before an update: chip, running app, anti-rollback counter, where the update goes.</summary>
    public sealed class DeviceState
    {
        public int ChipId { get; private set; }

        public SlotInfo RunningSlot { get; private set; }

        /// <summary>The slot the next update goes to (esp_ota_get_next_update_partition).</summary>
        public SlotInfo UpdateSlot { get; private set; }

        /// <summary>
        /// The slot the bootloader will pick next (esp_ota_get_boot_partition); null when the board
        /// cannot say. It differs from <see cref="RunningSlot"/> while a finished update awaits its reboot.
        /// </summary>
        public SlotInfo BootSlot { get; private set; }

        public AppInfo RunningApp { get; private set; }

        /// <summary>
        /// The running release's version: the one nf-ota recorded beside the running slot's app when it
        /// installed it (an app-only release has a version of its own), else the firmware's
        /// (esp_app_desc_t). Null if that is not numbers joined by dots.
        /// </summary>
        public FirmwareVersion RunningVersion { get; private set; }

        /// <summary>The running firmware's own version (esp_app_desc_t), or null.</summary>
        public FirmwareVersion FirmwareVersion { get; private set; }

        /// <summary>The deploy partition paired with the running slot; null on a board with one shared deploy partition.</summary>
        public SlotInfo RunningAppPartition { get; private set; }

        /// <summary>The deploy partition paired with <see cref="UpdateSlot"/>; null on a board with one shared deploy partition.</summary>
        public SlotInfo UpdateAppPartition { get; private set; }

        /// <summary>The app in <see cref="RunningAppPartition"/>, or null without one.</summary>
        public DeployedApp RunningAppImage { get; private set; }

        /// <summary>The anti-rollback counter in eFuse.</summary>
        public int SecureVersion { get; private set; }

        /// <summary>The running slot's otadata state (NativeOtaStatus.State*), or a negative status (e.g. no otadata state).</summary>
        public int RunningState { get; private set; }

        public int FlashEncryptionMode { get; private set; }

        public bool SecureBootEnabled { get; private set; }

        /// <summary>Ask the native component. Throws <see cref="OtaException"/> when there is no slot to update.</summary>
        public static DeviceState Read()
        {
            var record = new byte[NativeOtaStatus.SlotRecordLength];
            NativeFailure.Check(NativeOta.GetSlotInfo(NativeOtaStatus.SlotRunning, record), "finding the running slot");
            var running = SlotInfo.FromRecord(record);
            int next = NativeOta.GetSlotInfo(NativeOtaStatus.SlotNextUpdate, record);
            if (next == NativeOtaStatus.NotFound)
            {
                throw new OtaException(OtaError.NativeError,
                    "this board's partition table has no OTA slot to update into: it needs otadata, ota_0 and ota_1 (native/nf-interpreter/partitions)");
            }
            NativeFailure.Check(next, "finding the next update slot");
            var update = SlotInfo.FromRecord(record);
            SlotInfo boot = NativeOta.GetSlotInfo(NativeOtaStatus.SlotBoot, record) >= 0 ? SlotInfo.FromRecord(record) : null;

            var description = new byte[NativeOtaStatus.AppDescriptionLength];
            NativeFailure.Check(NativeOta.GetAppDescription("", description), "reading the running app's description");
            var app = AppInfo.FromRecord(description);
            FirmwareVersion firmwareVersion = app == null ? null : FirmwareVersion.TryParse(app.Version);

            SlotInfo runningAppPartition = PairedApp("", record);
            SlotInfo updateAppPartition = PairedApp(update.Label, record);
            DeployedApp deployed = runningAppPartition == null ? null : DeployedApp.Read(runningAppPartition);
            FirmwareVersion recorded = deployed == null || deployed.Record == null ? null : FirmwareVersion.TryParse(deployed.Record.Version);

            return new DeviceState
            {
                ChipId = NativeOta.GetChipId(),
                RunningSlot = running,
                UpdateSlot = update,
                BootSlot = boot,
                RunningApp = app,
                RunningVersion = recorded ?? firmwareVersion,
                FirmwareVersion = firmwareVersion,
                RunningAppPartition = runningAppPartition,
                UpdateAppPartition = updateAppPartition,
                RunningAppImage = deployed,
                SecureVersion = NativeOta.GetDeviceSecureVersion(),
                RunningState = NativeOta.GetSlotState(""),
                FlashEncryptionMode = NativeOta.GetFlashEncryptionMode(),
                SecureBootEnabled = NativeOta.IsSecureBootEnabled(),
            };
        }

        /// <summary>The deploy partition paired with a slot, or null when the board has none (NotFound).</summary>
        private static SlotInfo PairedApp(string slotLabel, byte[] record)
        {
            int status = NativeOta.GetAppPartition(slotLabel, record);
            if (status == NativeOtaStatus.NotFound)
            {
                return null;
            }
            NativeFailure.Check(status, "finding the app partition paired with " + (slotLabel.Length == 0 ? "the running slot" : slotLabel));
            return SlotInfo.FromRecord(record);
        }

        /// <summary>The native assemblies the running firmware provides (nanoCLR's interop table).</summary>
        public static NativeAssemblyList ReadFirmwareNatives()
        {
            var record = new byte[NativeOtaStatus.NativeTableMaxLength];
            int length = NativeFailure.Check(NativeOta.GetNativeAssemblies(record), "reading the firmware's native assembly table");
            return NativeAssemblyList.FromRecord(record, length);
        }
    }
}
