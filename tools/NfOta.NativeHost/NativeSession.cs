using NfOta.Emulator.Boot;
using NfOta.Emulator.Device;

namespace NfOta.NativeHost;

/// <summary>An attached device. Dispose to detach it and let the next session attach.</summary>
public sealed class NativeSession : IDisposable
{
    private Action? _detach;

    internal NativeSession(VirtualEsp32 device, Action detach)
    {
        Device = device;
        _detach = detach;
    }

    public VirtualEsp32 Device { get; }

    /// <summary>Update handles the C component holds open (0 after every end, abort and restart).</summary>
    public int OpenNativeHandles => NativeHost.OpenHandles();

    /// <summary>Whether nf_ota's boot guard is counting down (the running firmware is unconfirmed).</summary>
    public bool BootGuardArmed
    {
        get
        {
            NativeHost.RunDueTimers(); // a boot since the last call runs the start-up hook first
            return NativeHost.BootGuardArmed();
        }
    }

    /// <summary>
    /// Let <paramref name="time"/> pass on the running board, as if nothing managed ran meanwhile:
    /// the component's start-up hook runs first if the board booted since the last native call,
    /// then the clock moves and due esp_timer callbacks fire (the boot guard's rollback among them).
    /// Returns the boot a timer restarted the chip into, or null if the board ran on.
    /// </summary>
    public BootReport? AdvanceTime(TimeSpan time)
    {
        NativeHost.RunDueTimers();
        Device.AdvanceTime(time);
        try
        {
            NativeHost.RunDueTimers();
            return null;
        }
        catch (DeviceRestartedException restarted)
        {
            return restarted.Boot;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _detach, null)?.Invoke();
    }
}
