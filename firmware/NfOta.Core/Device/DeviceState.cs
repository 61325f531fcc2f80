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

        /// <summary>The running app's version, or null if its version string is not numbers joined by dots.</summary>
        public FirmwareVersion RunningVersion { get; private set; }

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

            return new DeviceState
            {
                ChipId = NativeOta.GetChipId(),
                RunningSlot = running,
                UpdateSlot = update,
                BootSlot = boot,
                RunningApp = app,
                RunningVersion = app == null ? null : FirmwareVersion.TryParse(app.Version),
                SecureVersion = NativeOta.GetDeviceSecureVersion(),
                RunningState = NativeOta.GetSlotState(""),
                FlashEncryptionMode = NativeOta.GetFlashEncryptionMode(),
                SecureBootEnabled = NativeOta.IsSecureBootEnabled(),
            };
        }
    }
}
