using NfOta.Fleet.Admin;

namespace NfOta.Fleet.Dashboard;

/// <summary>What the dashboard shows for a tenant: its cohorts, its rollouts wave by wave, and every device's state.</summary>
public sealed record DashboardView(
    string Tenant,
    DateTimeOffset At,
    IReadOnlyList<(string Name, int Members)> Cohorts,
    IReadOnlyList<RolloutOut> Rollouts,
    IReadOnlyList<DeviceOut> Devices);
