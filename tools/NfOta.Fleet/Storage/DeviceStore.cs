using System.Data.Common;

namespace NfOta.Fleet.Storage;

/// <summary>Tenants (with their gateway token), devices (with their target token) and what they report in configData.</summary>
public sealed class DeviceStore(FleetDatabase database)
{
    private const string DeviceColumns = "tenant, controller_id, token_hash, request_attributes, attributes, created_ms, last_seen_ms";

    /// <summary>Creates the tenant if new; sets its gateway token hash when one is given (null keeps the old one).</summary>
    public async Task EnsureTenantAsync(string tenant, string? gatewayTokenHash, long nowMs)
    {
        await using var unit = await database.BeginAsync();
        await EnsureTenantAsync(unit, tenant, nowMs);
        if (gatewayTokenHash is not null)
        {
            await unit.ExecuteAsync("UPDATE tenants SET gateway_token_hash = @h WHERE name = @t", ("h", gatewayTokenHash), ("t", tenant));
        }
        await unit.CommitAsync();
    }

    internal static Task EnsureTenantAsync(FleetDatabase.Unit unit, string tenant, long nowMs) =>
        unit.ExecuteAsync(
            "INSERT INTO tenants (name, gateway_token_hash, created_ms) VALUES (@t, NULL, @now) ON CONFLICT (name) DO NOTHING",
            ("t", tenant), ("now", nowMs));

    /// <summary>Null when the tenant does not exist or has no gateway token.</summary>
    public async Task<string?> GatewayTokenHashAsync(string tenant)
    {
        await using var unit = await database.BeginReadAsync();
        return (string?)await unit.ScalarAsync("SELECT gateway_token_hash FROM tenants WHERE name = @t", ("t", tenant));
    }

    /// <summary>Pre-creates devices (all or none); a device already there gets the new token when one is given.</summary>
    public async Task AddDevicesAsync(string tenant, IReadOnlyList<(string ControllerId, string? TokenHash)> devices, long nowMs)
    {
        await using var unit = await database.BeginAsync();
        await EnsureTenantAsync(unit, tenant, nowMs);
        foreach (var (id, hash) in devices)
        {
            await unit.ExecuteAsync(
                """
                INSERT INTO devices (tenant, controller_id, token_hash, created_ms, last_seen_ms, request_attributes, attributes)
                VALUES (@t, @id, @h, @now, NULL, 1, '{}')
                ON CONFLICT (tenant, controller_id) DO UPDATE SET token_hash = COALESCE(excluded.token_hash, devices.token_hash)
                """,
                ("t", tenant), ("id", id), ("h", hash), ("now", nowMs));
        }
        await unit.CommitAsync();
    }

    /// <summary>DDI registers a device on its first poll (authenticated by the tenant's gateway token).</summary>
    public async Task RegisterAsync(string tenant, string controllerId, long nowMs)
    {
        await using var unit = await database.BeginAsync();
        await unit.ExecuteAsync(
            """
            INSERT INTO devices (tenant, controller_id, token_hash, created_ms, last_seen_ms, request_attributes, attributes)
            VALUES (@t, @id, NULL, @now, @now, 1, '{}')
            ON CONFLICT (tenant, controller_id) DO NOTHING
            """,
            ("t", tenant), ("id", controllerId), ("now", nowMs));
        await unit.CommitAsync();
    }

    public async Task<DeviceRecord?> FindAsync(string tenant, string controllerId)
    {
        await using var unit = await database.BeginReadAsync();
        var rows = await unit.QueryAsync(ReadDevice,
            $"SELECT {DeviceColumns} FROM devices WHERE tenant = @t AND controller_id = @id", ("t", tenant), ("id", controllerId));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task TouchAsync(string tenant, string controllerId, long nowMs)
    {
        await using var unit = await database.BeginAsync();
        await unit.ExecuteAsync("UPDATE devices SET last_seen_ms = @now WHERE tenant = @t AND controller_id = @id",
            ("now", nowMs), ("t", tenant), ("id", controllerId));
        await unit.CommitAsync();
    }

    /// <summary>Replaces the stored attributes (the caller merged them) and stops asking for them.</summary>
    public async Task SetAttributesAsync(string tenant, string controllerId, IReadOnlyDictionary<string, string> attributes)
    {
        await using var unit = await database.BeginAsync();
        await unit.ExecuteAsync("UPDATE devices SET attributes = @a, request_attributes = 0 WHERE tenant = @t AND controller_id = @id",
            ("a", StoreJson.Write(attributes)), ("t", tenant), ("id", controllerId));
        await unit.CommitAsync();
    }

    internal static DeviceRecord ReadDevice(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.NullableString(2),
        r.Long(3) != 0,
        StoreJson.Read<Dictionary<string, string>>(r.GetString(4)),
        r.Long(5),
        r.NullableInt64(6));
}
