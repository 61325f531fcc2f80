using NfOta.Device;
using NfOta.Json;
using NfOta.Model;

namespace NfOta.Ddi
{
    /// <summary>
    /// The body of PUT .../configData (hawkBit's DdiConfigData, mode "merge"): what the board runs,
    /// as the controller attributes a fleet server shows and filters on. Keys: firmware (the
    /// running firmware's esp_app_desc_t version), app (the release version nf-ota recorded beside
    /// the running app, "" when none), slot, chip, state (otadata: valid, pending-verify,
    /// untracked), lastError ("[code] message" of the last update that failed here, "" if none).
    /// </summary>
    public static class DdiConfigData
    {
        public static byte[] Body(DeviceState device, string lastError)
        {
            var app = device.RunningAppImage == null || device.RunningAppImage.Record == null ? "" : device.RunningAppImage.Record.Version;
            var w = new JsonWriter();
            w.BeginObject().Name("mode").String("merge").Name("data").BeginObject()
                .Name("firmware").String(device.FirmwareVersion == null ? "" : device.FirmwareVersion.Text)
                .Name("app").String(app)
                .Name("slot").String(device.RunningSlot.Label)
                .Name("chip").String(Chips.NameOf(device.ChipId))
                .Name("state").String(StateOf(device.RunningState))
                .Name("lastError").String(lastError ?? "")
                .EndObject().EndObject();
            return w.ToArray();
        }

        private static string StateOf(int state)
        {
            if (state == Interop.NativeOtaStatus.StateValid)
            {
                return "valid";
            }
            return state == Interop.NativeOtaStatus.StatePendingVerify ? "pending-verify" : "untracked";
        }
    }
}
