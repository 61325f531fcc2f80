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

    public void Dispose()
    {
        Interlocked.Exchange(ref _detach, null)?.Invoke();
    }
}
