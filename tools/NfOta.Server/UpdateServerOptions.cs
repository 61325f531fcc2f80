using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;

namespace NfOta.Server;

/// <summary>How <see cref="UpdateServer"/> listens and what it serves.</summary>
public sealed class UpdateServerOptions
{
    /// <summary>The directory whose files are served (manifests, images).</summary>
    public required string Root { get; init; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="UpdateServer.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>Loopback unless told otherwise: a device on the LAN needs the PC's address (or Any).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Serve HTTPS with this certificate (with its private key); null for plain HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>How many of the latest requests <see cref="UpdateServer.Requests"/> keeps; older ones are only counted.</summary>
    public int RecentRequests { get; init; } = 1000;

    /// <summary>Called once per finished request.</summary>
    public Action<RequestLogEntry>? Log { get; init; }

    /// <summary>Extra middleware ahead of the files (tests inject network faults here).</summary>
    public Action<IApplicationBuilder>? Before { get; init; }
}
