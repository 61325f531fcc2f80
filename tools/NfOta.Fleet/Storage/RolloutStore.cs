using System.Data.Common;
using NfOta.Fleet.Rollouts;

namespace NfOta.Fleet.Storage;

/// <summary>Rollouts and their actions. Callers hold a <see cref="FleetDatabase.Unit"/> so a decision and its writes commit together.</summary>
public static class RolloutStore
{
    private const string RolloutColumns =
        "id, tenant, cohort, version, base_url, files, waves, wave, state, reason, thresholds, forgiven_failed, forgiven_finished, created_ms";

    private const string ActionColumns = "id, rollout_id, tenant, controller_id, wave, state, error_code, offered_ms, updated_ms";

    public static async Task<long> InsertRolloutAsync(FleetDatabase.Unit unit, RolloutRecord r, long nowMs)
    {
        var id = await unit.ScalarAsync(
            """
            INSERT INTO rollouts (tenant, cohort, version, base_url, files, waves, wave, state, reason, thresholds, forgiven_failed, forgiven_finished, created_ms, updated_ms)
            VALUES (@t, @c, @v, @u, @f, @w, 0, @s, NULL, @th, 0, 0, @now, @now)
            RETURNING id
            """,
            ("t", r.Tenant), ("c", r.Cohort), ("v", r.Version), ("u", r.BaseUrl), ("f", StoreJson.Write(r.Files)),
            ("w", r.Waves.ToString()), ("s", r.State.Name()), ("th", StoreJson.Write(r.Thresholds)), ("now", nowMs));
        return Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<RolloutRecord?> FindAsync(FleetDatabase.Unit unit, long id)
    {
        var rows = await unit.QueryAsync(ReadRollout, $"SELECT {RolloutColumns} FROM rollouts WHERE id = @id", ("id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    public static Task<List<RolloutRecord>> ListAsync(FleetDatabase.Unit unit, string tenant) =>
        unit.QueryAsync(ReadRollout, $"SELECT {RolloutColumns} FROM rollouts WHERE tenant = @t ORDER BY id", ("t", tenant));

    /// <summary>The running or paused rollout of a cohort, if any (a cohort has one at a time).</summary>
    public static async Task<long?> ActiveForCohortAsync(FleetDatabase.Unit unit, string tenant, string cohort)
    {
        var id = await unit.ScalarAsync(
            "SELECT id FROM rollouts WHERE tenant = @t AND cohort = @c AND state IN ('running', 'paused') ORDER BY id LIMIT 1",
            ("t", tenant), ("c", cohort));
        return id is null ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task UpdateRolloutAsync(FleetDatabase.Unit unit, RolloutRecord r, long nowMs)
    {
        await unit.ExecuteAsync(
            """
            UPDATE rollouts SET wave = @w, state = @s, reason = @r, forgiven_failed = @ff, forgiven_finished = @fn, updated_ms = @now
            WHERE id = @id
            """,
            ("w", r.Wave), ("s", r.State.Name()), ("r", r.Reason), ("ff", r.ForgivenFailed), ("fn", r.ForgivenFinished),
            ("now", nowMs), ("id", r.Id));
    }

    /// <summary>Offers the release to a board (no-op when it already has an action in this rollout).</summary>
    public static Task<int> OfferAsync(FleetDatabase.Unit unit, RolloutRecord r, string controllerId, int wave, long nowMs) =>
        unit.ExecuteAsync(
            """
            INSERT INTO actions (rollout_id, tenant, controller_id, wave, state, error_code, offered_ms, updated_ms)
            VALUES (@r, @t, @id, @w, 'pending', NULL, @now, @now)
            ON CONFLICT (rollout_id, controller_id) DO NOTHING
            """,
            ("r", r.Id), ("t", r.Tenant), ("id", controllerId), ("w", wave), ("now", nowMs));

    public static async Task<ActionRecord?> FindActionAsync(FleetDatabase.Unit unit, long actionId)
    {
        var rows = await unit.QueryAsync(ReadAction, $"SELECT {ActionColumns} FROM actions WHERE id = @id", ("id", actionId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// The action a board should work on: the oldest open one whose rollout still offers it. A paused
    /// or aborted rollout holds back boards that have not started; boards already under way carry on.
    /// </summary>
    public static async Task<ActionRecord?> OpenActionForAsync(FleetDatabase.Unit unit, string tenant, string controllerId)
    {
        var rows = await unit.QueryAsync(ReadAction,
            $"""
            SELECT a.{ActionColumns.Replace(", ", ", a.")} FROM actions a JOIN rollouts r ON r.id = a.rollout_id
            WHERE a.tenant = @t AND a.controller_id = @id
              AND a.state NOT IN ('confirmed', 'rolled-back', 'refused', 'failed', 'timed-out', 'canceled')
              AND (r.state IN ('running', 'completed') OR a.state NOT IN ('pending', 'retrieved', 'rejected'))
            ORDER BY a.id LIMIT 1
            """,
            ("t", tenant), ("id", controllerId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Moves an action from <paramref name="from"/> only; false when another request changed it first.</summary>
    public static async Task<bool> MoveActionAsync(FleetDatabase.Unit unit, long actionId, ActionState from, ActionState to, string? errorCode, long nowMs)
    {
        var changed = await unit.ExecuteAsync(
            "UPDATE actions SET state = @to, error_code = COALESCE(@e, error_code), updated_ms = @now WHERE id = @id AND state = @from",
            ("to", to.Name()), ("e", errorCode), ("now", nowMs), ("id", actionId), ("from", from.Name()));
        return changed == 1;
    }

    /// <summary>Every open action of the rollout offered before <paramref name="cutoffMs"/> has missed its deadline.</summary>
    public static Task<int> TimeOutAsync(FleetDatabase.Unit unit, long rolloutId, long cutoffMs, long nowMs) =>
        unit.ExecuteAsync(
            """
            UPDATE actions SET state = 'timed-out', updated_ms = @now
            WHERE rollout_id = @r AND offered_ms < @cut
              AND state NOT IN ('confirmed', 'rolled-back', 'refused', 'failed', 'timed-out', 'canceled')
            """,
            ("now", nowMs), ("r", rolloutId), ("cut", cutoffMs));

    /// <summary>Aborting withdraws the offer from boards that have not started; the rest may finish.</summary>
    public static Task<int> CancelUnstartedAsync(FleetDatabase.Unit unit, long rolloutId, long nowMs) =>
        unit.ExecuteAsync(
            "UPDATE actions SET state = 'canceled', updated_ms = @now WHERE rollout_id = @r AND state IN ('pending', 'retrieved', 'rejected')",
            ("now", nowMs), ("r", rolloutId));

    /// <summary>Restarts the deadline of boards that have not started (on resume: they were held, not slow).</summary>
    public static Task<int> ReofferUnstartedAsync(FleetDatabase.Unit unit, long rolloutId, long nowMs) =>
        unit.ExecuteAsync(
            "UPDATE actions SET offered_ms = @now, updated_ms = @now WHERE rollout_id = @r AND state IN ('pending', 'retrieved', 'rejected')",
            ("now", nowMs), ("r", rolloutId));

    public static async Task<Dictionary<ActionState, int>> CountByStateAsync(FleetDatabase.Unit unit, long rolloutId)
    {
        var rows = await unit.QueryAsync(r => (State: r.GetString(0), Count: r.Long(1)),
            "SELECT state, COUNT(*) FROM actions WHERE rollout_id = @r GROUP BY state", ("r", rolloutId));
        return rows.ToDictionary(x => ActionStates.Parse(x.State), x => (int)x.Count);
    }

    public static async Task<Dictionary<(int Wave, ActionState State), int>> CountByWaveAsync(FleetDatabase.Unit unit, long rolloutId)
    {
        var rows = await unit.QueryAsync(r => (Wave: (int)r.Long(0), State: r.GetString(1), Count: r.Long(2)),
            "SELECT wave, state, COUNT(*) FROM actions WHERE rollout_id = @r GROUP BY wave, state", ("r", rolloutId));
        return rows.ToDictionary(x => (x.Wave, ActionStates.Parse(x.State)), x => (int)x.Count);
    }

    /// <summary>Every device of the tenant with its latest action.</summary>
    public static Task<List<DeviceSummary>> DevicesAsync(FleetDatabase.Unit unit, string tenant) =>
        unit.QueryAsync(
            r => new DeviceSummary(r.GetString(0), r.NullableInt64(1), StoreJson.Read<Dictionary<string, string>>(r.GetString(2)),
                r.NullableInt64(3), r.NullableInt64(4), r.NullableString(5), r.NullableString(6), r.NullableString(7)),
            """
            SELECT d.controller_id, d.last_seen_ms, d.attributes, a.rollout_id, a.id, r.version, a.state, a.error_code
            FROM devices d
            LEFT JOIN actions a ON a.id = (SELECT MAX(x.id) FROM actions x WHERE x.tenant = d.tenant AND x.controller_id = d.controller_id)
            LEFT JOIN rollouts r ON r.id = a.rollout_id
            WHERE d.tenant = @t
            ORDER BY d.controller_id
            """,
            ("t", tenant));

    public static Task InsertStatusAsync(FleetDatabase.Unit unit, long actionId, ActionStatusEntry entry, long nowMs) =>
        unit.ExecuteAsync(
            """
            INSERT INTO action_status (action_id, at_ms, device_ms, execution, finished, state, details)
            VALUES (@a, @now, @dev, @x, @f, @s, @d)
            """,
            ("a", actionId), ("now", nowMs), ("dev", entry.DeviceMs), ("x", entry.Execution), ("f", entry.Finished),
            ("s", entry.State.Name()), ("d", StoreJson.Write(entry.Details)));

    public static async Task<long> StatusCountAsync(FleetDatabase.Unit unit, long actionId) =>
        Convert.ToInt64(await unit.ScalarAsync("SELECT COUNT(*) FROM action_status WHERE action_id = @a", ("a", actionId)), System.Globalization.CultureInfo.InvariantCulture);

    internal static RolloutRecord ReadRollout(DbDataReader r) => new(
        r.Long(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        StoreJson.Read<List<ReleaseFile>>(r.GetString(5)),
        WavePlan.Parse(r.GetString(6)),
        (int)r.Long(7),
        RolloutStates.Parse(r.GetString(8)),
        r.NullableString(9),
        StoreJson.Read<RolloutThresholds>(r.GetString(10)),
        r.Long(13))
    {
        ForgivenFailed = (int)r.Long(11),
        ForgivenFinished = (int)r.Long(12),
    };

    internal static ActionRecord ReadAction(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.GetString(2), r.GetString(3), (int)r.Long(4),
        ActionStates.Parse(r.GetString(5)), r.NullableString(6), r.Long(7), r.Long(8));
}

/// <summary>One feedback as received, kept for the operator (hawkBit's action status history).</summary>
public sealed record ActionStatusEntry(string Execution, string Finished, ActionState State, IReadOnlyList<string> Details, long? DeviceMs);
