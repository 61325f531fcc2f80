using Microsoft.AspNetCore.Http;
using NfOta.Fleet.Security;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Ddi;

/// <summary>
/// DDI authentication as hawkBit does it: "Authorization: TargetToken T" (this device's own token)
/// or "GatewayToken T" (the tenant's token, which may speak for any of its devices and registers a
/// new one on its first poll). Both are compared by hash in constant time.
/// </summary>
public sealed class DeviceAuthenticator(DeviceStore devices, TimeProvider time)
{
    // Compared against when there is nothing stored, so an unknown device takes as long as a known one.
    private static readonly string Absent = TokenHash.Of("absent");

    public async Task<DeviceRecord> AuthenticateAsync(HttpContext context, string tenant, string controllerId, bool registerIfNew)
    {
        DdiNames.Check(tenant, controllerId);
        var header = AuthorizationHeader.Parse(context.Request.Headers.Authorization);
        var device = await devices.FindAsync(tenant, controllerId);
        switch (header.Scheme)
        {
            case TokenScheme.Target:
                if (!TokenHash.Matches(header.Token, device?.TokenHash ?? Absent) || device?.TokenHash is null)
                {
                    throw Unauthorized($"the target token is not the one of device '{controllerId}' (or there is no such device)");
                }
                return device;
            case TokenScheme.Gateway:
                if (!TokenHash.Matches(header.Token, await devices.GatewayTokenHashAsync(tenant) ?? Absent))
                {
                    throw Unauthorized($"the gateway token is not the one of tenant '{tenant}'");
                }
                return device ?? await RegisterAsync(tenant, controllerId, registerIfNew);
            default:
                throw Unauthorized("send Authorization: TargetToken <device token> or GatewayToken <tenant token>");
        }
    }

    private async Task<DeviceRecord> RegisterAsync(string tenant, string controllerId, bool registerIfNew)
    {
        if (!registerIfNew)
        {
            throw FleetException.NotFound("target-not-found", $"device '{controllerId}' is not registered: poll /{tenant}/controller/v1/{controllerId} first");
        }
        await devices.RegisterAsync(tenant, controllerId, time.GetUtcNow().ToUnixTimeMilliseconds());
        return await devices.FindAsync(tenant, controllerId) ?? throw new InvalidOperationException("registered device vanished");
    }

    private static FleetException Unauthorized(string message) => new(401, "unauthorized", message);
}
