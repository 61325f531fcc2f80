using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Engine;

namespace NfOta.Cli.Demo.Fleet;

/// <summary>
/// One emulated board of the fleet demo, running the device's own code: at start-up its rollback
/// guard (the app started, and its health check, which DemoApp <see cref="FailingVersion"/>
/// fails), then the DDI client's poll, which installs what the server assigns and restarts.
/// </summary>
public sealed class FleetBoard(string controllerId, VirtualEsp32 device, DdiClient client)
{
    public const string FailingVersion = "3.0.0";

    private bool _startingUp = true;

    public string ControllerId { get; } = controllerId;

    public VirtualEsp32 Device { get; } = device;

    /// <summary>One turn: the start-up guard after a restart, then one poll. Returns the poll's outcome.</summary>
    public DdiOutcome Step()
    {
        using var session = NfOta.NativeHost.NativeHost.Attach(Device);
        if (_startingUp)
        {
            _startingUp = false;
            try
            {
                DemoHealth.Guard(Device, FailingVersion).Run();
            }
            catch (DeviceRestartedException)
            {
                // The health check failed: the guard rolled back and restarted into the old firmware.
            }
        }
        try
        {
            return client.Poll();
        }
        catch (DeviceRestartedException)
        {
            _startingUp = true;
            return DdiOutcome.Installed;
        }
    }
}
