using System.Net;

namespace NfOta.Fleet.Hosting;

public sealed class FleetServerOptions
{
    /// <summary>A SQLite file path, or a PostgreSQL connection string (Host=...; or postgres://...).</summary>
    public required string Database { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Bearer token of the admin API; null leaves the admin API closed (403).</summary>
    public string? AdminToken { get; init; }

    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often running rollouts are looked at when no board reports (missed deadlines).</summary>
    public TimeSpan EvaluateEvery { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest request body taken; DDI bodies are small, admin batches of devices larger.</summary>
    public int MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Largest body a device may send (feedback, configData).</summary>
    public int MaxDeviceBodyBytes { get; init; } = 16 * 1024;

    public string? PublicBaseUrl { get; init; }

    /// <summary>How long a request waits for a SQLite file another process holds locked before it is answered 503.</summary>
    public int LockTimeoutSeconds { get; init; } = 10;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>One line per server-side failure (database errors); null is silent.</summary>
    public Action<string>? Log { get; init; }
}
