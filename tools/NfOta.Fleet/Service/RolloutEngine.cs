using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Service;

public enum OperatorCommand
{
    Pause,
    Resume,
    Abort,
}

/// <summary>
/// Runs rollouts: starts them (first wave offered), and after every change looks again — deadlines
/// missed, error condition, next wave — committing each decision with its writes. One evaluation at
/// a time in this process; across processes the conditional updates and unique keys keep it sane.
/// </summary>
public sealed class RolloutEngine(FleetDatabase database, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<RolloutRecord> StartAsync(RolloutRecord draft)
    {
        long id;
        await _gate.WaitAsync();
        try
        {
            await using var unit = await database.BeginAsync();
            if (await unit.ScalarAsync("SELECT 1 FROM cohorts WHERE tenant = @t AND name = @n", ("t", draft.Tenant), ("n", draft.Cohort)) is null)
            {
                throw FleetException.NotFound("cohort-not-found", $"cohort '{draft.Cohort}' does not exist");
            }
            if (await RolloutStore.ActiveForCohortAsync(unit, draft.Tenant, draft.Cohort) is { } busy)
            {
                throw FleetException.Conflict("cohort-busy", $"cohort '{draft.Cohort}' already has rollout {busy} running or paused: abort it first");
            }
            id = await RolloutStore.InsertRolloutAsync(unit, draft with { State = RolloutState.Running, Wave = 0 }, Now);
            await OfferUpToAsync(unit, draft with { Id = id }, 0);
            await unit.CommitAsync();
        }
        finally
        {
            _gate.Release();
        }
        return await EvaluateAsync(id) ?? throw new InvalidOperationException("rollout vanished");
    }

    /// <summary>Applies what the rollout's state calls for now; returns it as it then is.</summary>
    public async Task<RolloutRecord?> EvaluateAsync(long id)
    {
        await _gate.WaitAsync();
        try
        {
            await using var unit = await database.BeginAsync();
            var rollout = await RolloutStore.FindAsync(unit, id);
            if (rollout is null || rollout.State != RolloutState.Running)
            {
                return rollout;
            }
            var now = Now;
            await RolloutStore.TimeOutAsync(unit, id, now - (long)rollout.Thresholds.ConfirmDeadline.TotalMilliseconds, now);
            rollout = await StepAsync(unit, rollout, now);
            await unit.CommitAsync();
            return rollout;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every running rollout, for the timer that catches deadlines when no board reports.</summary>
    public async Task EvaluateRunningAsync()
    {
        List<long> ids;
        await using (var unit = await database.BeginReadAsync())
        {
            ids = await unit.QueryAsync(r => r.Long(0), "SELECT id FROM rollouts WHERE state = 'running'");
        }
        foreach (var id in ids)
        {
            await EvaluateAsync(id);
        }
    }

    public async Task<RolloutRecord> OperateAsync(string tenant, long id, OperatorCommand command)
    {
        await _gate.WaitAsync();
        try
        {
            await using var unit = await database.BeginAsync();
            var rollout = await RolloutStore.FindAsync(unit, id);
            if (rollout is null || rollout.Tenant != tenant)
            {
                throw FleetException.NotFound("rollout-not-found", $"rollout {id} does not exist");
            }
            var changed = await ApplyCommandAsync(unit, rollout, command);
            await RolloutStore.UpdateRolloutAsync(unit, changed, Now);
            await unit.CommitAsync();
        }
        finally
        {
            _gate.Release();
        }
        return await EvaluateAsync(id) ?? throw new InvalidOperationException("rollout vanished");
    }

    public static RolloutCounts Tally(IReadOnlyDictionary<ActionState, int> byState, RolloutRecord rollout)
    {
        var offered = byState.Values.Sum();
        var confirmed = byState.GetValueOrDefault(ActionState.Confirmed);
        var failed = byState.Where(p => p.Key.IsFailure()).Sum(p => p.Value);
        var finished = byState.Where(p => p.Key.IsClosed()).Sum(p => p.Value);
        return new RolloutCounts(offered, confirmed, failed, finished, rollout.ForgivenFailed, rollout.ForgivenFinished);
    }

    private async Task<RolloutRecord> ApplyCommandAsync(FleetDatabase.Unit unit, RolloutRecord rollout, OperatorCommand command)
    {
        switch (command)
        {
            case OperatorCommand.Pause when rollout.State == RolloutState.Running:
                return rollout with { State = RolloutState.Paused, Reason = "paused by the operator" };
            case OperatorCommand.Resume when rollout.State == RolloutState.Paused:
                // Resuming accepts the failures so far; the error condition counts from here.
                var counts = Tally(await RolloutStore.CountByStateAsync(unit, rollout.Id), rollout);
                // Boards held while paused are offered afresh: their deadline runs from now, not from before the pause.
                await RolloutStore.ReofferUnstartedAsync(unit, rollout.Id, Now);
                return rollout with { State = RolloutState.Running, Reason = null, ForgivenFailed = counts.Failed, ForgivenFinished = counts.Finished };
            case OperatorCommand.Abort when rollout.State is RolloutState.Running or RolloutState.Paused:
                await RolloutStore.CancelUnstartedAsync(unit, rollout.Id, Now);
                return rollout with { State = RolloutState.Aborted, Reason = "aborted by the operator" };
            default:
                throw FleetException.Conflict("rollout-state",
                    $"rollout {rollout.Id} is {rollout.State.Name()}: cannot {command.ToString().ToLowerInvariant()} it");
        }
    }

    /// <summary>Decides and applies until nothing more follows (empty waves open one after another).</summary>
    private static async Task<RolloutRecord> StepAsync(FleetDatabase.Unit unit, RolloutRecord rollout, long now)
    {
        for (var guard = 0; guard <= rollout.Waves.Count + 1; guard++)
        {
            var counts = Tally(await RolloutStore.CountByStateAsync(unit, rollout.Id), rollout);
            var decision = RolloutPolicy.Decide(rollout.State, rollout.Wave, rollout.Waves.Count, rollout.Thresholds, counts);
            switch (decision.Step)
            {
                case RolloutStep.Pause:
                    rollout = rollout with { State = RolloutState.Paused, Reason = decision.Reason };
                    break;
                case RolloutStep.Complete:
                    rollout = rollout with { State = RolloutState.Completed, Reason = decision.Reason };
                    break;
                case RolloutStep.OpenNextWave:
                    rollout = rollout with { Wave = rollout.Wave + 1 };
                    await OfferUpToAsync(unit, rollout, rollout.Wave, now);
                    break;
                default:
                    return rollout;
            }
            await RolloutStore.UpdateRolloutAsync(unit, rollout, now);
        }
        return rollout;
    }

    private Task OfferUpToAsync(FleetDatabase.Unit unit, RolloutRecord rollout, int wave) => OfferUpToAsync(unit, rollout, wave, Now);

    /// <summary>Offers the release to every member whose bucket falls in a wave up to <paramref name="wave"/> (members added late catch up).</summary>
    private static async Task OfferUpToAsync(FleetDatabase.Unit unit, RolloutRecord rollout, int wave, long now)
    {
        foreach (var member in await CohortStore.MembersAsync(unit, rollout.Tenant, rollout.Cohort))
        {
            var memberWave = rollout.Waves.WaveOf(Bucketing.BucketOf(rollout.Id, member));
            if (memberWave <= wave)
            {
                await RolloutStore.OfferAsync(unit, rollout, member, memberWave, now);
            }
        }
    }
}
