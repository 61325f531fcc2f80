using NfOta.Emulator.Boot;

namespace NfOta.Emulator.Device;

/// <summary>
/// Thrown out of a call that restarts the chip (esp_restart and its callers): on the device such
/// a call never returns. The new boot has already happened when this is caught.
/// </summary>
public sealed class DeviceRestartedException(BootReport boot) : Exception($"the device restarted: {boot}")
{
    public BootReport Boot { get; } = boot;
}
