using Microsoft.AspNetCore.Http;

namespace NfOta.Fleet;

/// <summary>What the fleet server's handlers share: the clock, the polling interval devices are told, and how links are built.</summary>
public sealed class FleetSettings
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>DDI config.polling.sleep.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The server's address as devices reach it (behind a proxy); null builds links from each request's Host.</summary>
    public string? PublicBaseUrl { get; init; }

    public string ServerBase(HttpContext context) =>
        PublicBaseUrl ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
}
