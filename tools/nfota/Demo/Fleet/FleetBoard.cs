using NfOta.Ddi;
using NfOta.Emulator.Device;
using NfOta.Engine;
using NfOta.Rollback;

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
                Guard().Run();
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

    private RollbackGuard Guard()
    {
        var guard = new RollbackGuard { BudgetMilliseconds = 10_000 }.Add(new HealthCheck("app-started", () => Device.App?.Started == true));
        return guard.Add(new HealthCheck("mqtt-broker", () => Device.App?.Assembly("DemoApp")?.Version.ToString(3) != FailingVersion));
    }

    private sealed class HealthCheck(string name, Func<bool> check) : IHealthCheck
    {
        public string Name => name;

        public bool Check() => check();
    }
}
