namespace NfOta.Emulator.Device;

/// <summary>
/// Thrown where ESP-IDF would never return (a loop that cannot end): on the chip the calling task
/// spins until a watchdog or a power cycle. The emulator stops the call instead of spinning with it.
/// </summary>
public sealed class DeviceHangException(string message) : Exception($"hang: {message}");
