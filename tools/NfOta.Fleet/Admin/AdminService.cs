using NfOta.Fleet.Ddi;
using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Security;
using NfOta.Fleet.Service;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Admin;

/// <summary>What the operator can do: tenants and their gateway token, devices and their tokens, cohorts, rollouts (start, pause, resume, abort) and the views of them.</summary>
public sealed class AdminService(FleetDatabase database, DeviceStore devices, CohortStore cohorts, RolloutEngine engine, TimeProvider time)
{
    public const int MaxBatch = 10_000;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task PutTenantAsync(string tenant, TenantIn body)
    {
        DdiNames.CheckTenant(tenant);
        if (body.GatewayToken is not null && TokenHash.Problem(body.GatewayToken) is { } problem)
        {
            throw FleetException.BadRequest("invalid-token", $"gatewayToken: {problem}");
        }
        await devices.EnsureTenantAsync(tenant, body.GatewayToken is null ? null : TokenHash.Of(body.GatewayToken), Now);
    }

    public async Task<int> AddDevicesAsync(string tenant, DevicesIn body)
    {
        var list = body.Devices ?? throw FleetException.BadRequest("invalid-devices", "devices is required");
        if (list.Count is 0 or > MaxBatch)
        {
            throw FleetException.BadRequest("invalid-devices", $"devices: 1 to {MaxBatch} per request");
        }
        var rows = new List<(string, string?)>();
        foreach (var d in list)
        {
            var id = d.ControllerId ?? throw FleetException.BadRequest("invalid-devices", "devices[].controllerId is required");
            DdiNames.Check(tenant, id);
            if (d.TargetToken is not null && TokenHash.Problem(d.TargetToken) is { } problem)
            {
                throw FleetException.BadRequest("invalid-token", $"targetToken of '{id}': {problem}");
            }
            rows.Add((id, d.TargetToken is null ? null : TokenHash.Of(d.TargetToken)));
        }
        await devices.AddDevicesAsync(tenant, rows, Now);
        return rows.Count;
    }

    public async Task CreateCohortAsync(string tenant, CohortIn body)
    {
        var name = body.Name ?? throw FleetException.BadRequest("invalid-cohort", "name is required");
        DdiNames.CheckTenant(tenant);
        if (DdiNames.Problem(name, 128) is { } problem)
        {
            throw FleetException.BadRequest("invalid-cohort", $"cohort name {problem}");
        }
        if (!await cohorts.CreateAsync(tenant, name, Now))
        {
            throw FleetException.Conflict("cohort-exists", $"cohort '{name}' already exists");
        }
        if (body.Devices is { Count: > 0 } members)
        {
            await AddMembersAsync(tenant, name, new MembersIn(members));
        }
    }

    public async Task AddMembersAsync(string tenant, string cohort, MembersIn body)
    {
        var ids = body.Devices ?? throw FleetException.BadRequest("invalid-devices", "devices is required");
        if (ids.Count is 0 or > MaxBatch)
        {
            throw FleetException.BadRequest("invalid-devices", $"devices: 1 to {MaxBatch} per request");
        }
        if (!await cohorts.ExistsAsync(tenant, cohort))
        {
            throw FleetException.NotFound("cohort-not-found", $"cohort '{cohort}' does not exist");
        }
        var unknown = await cohorts.AddMembersAsync(tenant, cohort, ids);
        if (unknown.Count > 0)
        {
            throw FleetException.BadRequest("unknown-devices",
                $"{unknown.Count} ids are not devices of tenant '{tenant}' (first: '{unknown[0]}'); none were added");
        }
    }

    public async Task<List<CohortOut>> ListCohortsAsync(string tenant) =>
        (await cohorts.ListAsync(tenant)).Select(c => new CohortOut(c.Name, c.Devices)).ToList();

    public async Task<RolloutOut> StartRolloutAsync(string tenant, RolloutIn body) =>
        await DescribeAsync(await engine.StartAsync(RolloutRequest.ToDraft(tenant, body)));

    public async Task<RolloutOut> OperateAsync(string tenant, long id, OperatorCommand command) =>
        await DescribeAsync(await engine.OperateAsync(tenant, id, command));

    public async Task<RolloutOut> GetRolloutAsync(string tenant, long id)
    {
        var rollout = await engine.EvaluateAsync(id);
        return rollout is null || rollout.Tenant != tenant
            ? throw FleetException.NotFound("rollout-not-found", $"rollout {id} does not exist")
            : await DescribeAsync(rollout);
    }

    public async Task<List<RolloutOut>> ListRolloutsAsync(string tenant)
    {
        List<RolloutRecord> rollouts;
        await using (var unit = await database.BeginReadAsync())
        {
            rollouts = await RolloutStore.ListAsync(unit, tenant);
        }
        var result = new List<RolloutOut>();
        foreach (var r in rollouts)
        {
            result.Add(await DescribeAsync(r));
        }
        return result;
    }

    public async Task<List<DeviceOut>> ListDevicesAsync(string tenant)
    {
        await using var unit = await database.BeginReadAsync();
        var rows = await RolloutStore.DevicesAsync(unit, tenant);
        return rows.Select(d => new DeviceOut(d.ControllerId, d.LastSeenMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            d.Attributes, d.RolloutId, d.ActionId, d.Version, d.State, d.ErrorCode)).ToList();
    }

    private async Task<RolloutOut> DescribeAsync(RolloutRecord rollout)
    {
        Dictionary<(int Wave, ActionState State), int> byWave;
        int cohortSize;
        await using (var unit = await database.BeginReadAsync())
        {
            byWave = await RolloutStore.CountByWaveAsync(unit, rollout.Id);
            cohortSize = (await CohortStore.MembersAsync(unit, rollout.Tenant, rollout.Cohort)).Count;
        }
        var waves = rollout.Waves.Percents.Select((percent, i) => new WaveOut(i + 1, percent, i <= rollout.Wave,
            Counts(byWave.Where(p => p.Key.Wave == i).ToDictionary(p => p.Key.State, p => p.Value), rollout))).ToList();
        var total = Counts(byWave.GroupBy(p => p.Key.State).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)), rollout);
        return new RolloutOut(rollout.Id, rollout.Cohort, cohortSize, rollout.Version, rollout.BaseUrl, rollout.State.Name(), rollout.Reason,
            rollout.Wave + 1, waves, total);
    }

    private static CountsOut Counts(Dictionary<ActionState, int> byState, RolloutRecord rollout)
    {
        var c = RolloutEngine.Tally(byState, rollout);
        return new CountsOut(c.Offered, c.Confirmed, c.Failed, c.Finished, c.Open, c.Finished == 0 ? 0 : Math.Round((double)c.Failed / c.Finished, 4));
    }
}
