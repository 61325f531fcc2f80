namespace NfOta.Fleet.Storage;

/// <summary>Cohorts: named sets of a tenant's devices, the unit a release is rolled out to.</summary>
public sealed class CohortStore(FleetDatabase database)
{
    /// <summary>False when the cohort already exists.</summary>
    public async Task<bool> CreateAsync(string tenant, string name, long nowMs)
    {
        await using var unit = await database.BeginAsync();
        await DeviceStore.EnsureTenantAsync(unit, tenant, nowMs);
        var added = await unit.ExecuteAsync(
            "INSERT INTO cohorts (tenant, name, created_ms) VALUES (@t, @n, @now) ON CONFLICT (tenant, name) DO NOTHING",
            ("t", tenant), ("n", name), ("now", nowMs));
        await unit.CommitAsync();
        return added == 1;
    }

    public async Task<bool> ExistsAsync(string tenant, string name)
    {
        await using var unit = await database.BeginReadAsync();
        return await unit.ScalarAsync("SELECT 1 FROM cohorts WHERE tenant = @t AND name = @n", ("t", tenant), ("n", name)) is not null;
    }

    /// <summary>Adds devices to a cohort, all or none; returns the ids that are not devices of the tenant (then nothing is added).</summary>
    public async Task<IReadOnlyList<string>> AddMembersAsync(string tenant, string cohort, IReadOnlyList<string> controllerIds)
    {
        await using var unit = await database.BeginAsync();
        var unknown = new List<string>();
        foreach (var id in controllerIds)
        {
            var known = await unit.ScalarAsync("SELECT 1 FROM devices WHERE tenant = @t AND controller_id = @id", ("t", tenant), ("id", id));
            if (known is null)
            {
                unknown.Add(id);
                continue;
            }
            await unit.ExecuteAsync(
                "INSERT INTO cohort_members (tenant, cohort, controller_id) VALUES (@t, @c, @id) ON CONFLICT DO NOTHING",
                ("t", tenant), ("c", cohort), ("id", id));
        }
        if (unknown.Count == 0)
        {
            await unit.CommitAsync();
        }
        return unknown;
    }

    /// <summary>Every cohort of the tenant with how many devices it holds.</summary>
    public async Task<List<(string Name, int Devices)>> ListAsync(string tenant)
    {
        await using var unit = await database.BeginReadAsync();
        return await unit.QueryAsync(r => (r.GetString(0), (int)r.Long(1)),
            """
            SELECT c.name, (SELECT COUNT(*) FROM cohort_members m WHERE m.tenant = c.tenant AND m.cohort = c.name)
            FROM cohorts c WHERE c.tenant = @t ORDER BY c.name
            """,
            ("t", tenant));
    }

    internal static Task<List<string>> MembersAsync(FleetDatabase.Unit unit, string tenant, string cohort) =>
        unit.QueryAsync(r => r.GetString(0),
            "SELECT controller_id FROM cohort_members WHERE tenant = @t AND cohort = @c ORDER BY controller_id",
            ("t", tenant), ("c", cohort));
}
