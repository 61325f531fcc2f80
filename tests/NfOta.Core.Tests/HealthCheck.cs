using NfOta.Rollback;

namespace NfOta.Core.Tests;

/// <summary>A health check from a lambda.</summary>
internal sealed class HealthCheck(string name, Func<bool> check) : IHealthCheck
{
    public string Name => name;

    public bool Check() => check();
}
