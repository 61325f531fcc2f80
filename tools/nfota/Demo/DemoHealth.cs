using NfOta.Emulator.Device;
using NfOta.Rollback;

namespace NfOta.Cli.Demo;

/// <summary>The demo app's start-up checks, as both demos' boards run them.</summary>
public static class DemoHealth
{
    /// <summary>It started (nanoCLR bound it), Wi-Fi, and an MQTT check that DemoApp <paramref name="failingVersion"/> fails.</summary>
    public static RollbackGuard Guard(VirtualEsp32 device, string? failingVersion)
    {
        var guard = new RollbackGuard { BudgetMilliseconds = 10_000 }.Add(new Check("app-started", () => device.App?.Started == true));
        guard.Add(new Check("wifi", () => true));
        return guard.Add(new Check("mqtt-broker", () => device.App?.Assembly("DemoApp")?.Version.ToString(3) != failingVersion));
    }

    private sealed class Check(string name, Func<bool> check) : IHealthCheck
    {
        public string Name => name;

        bool IHealthCheck.Check() => check();
    }
}
