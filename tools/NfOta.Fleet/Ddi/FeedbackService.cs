using Microsoft.AspNetCore.Http;
using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Service;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Ddi;

/// <summary>
/// POST .../deploymentBase/{actionId}/feedback. The state change and its history row commit
/// together, and only from the state that was read (a concurrent feedback makes this one a 409);
/// then the rollout looks again at its conditions.
/// </summary>
public sealed class FeedbackService(FleetDatabase database, DeviceAuthenticator auth, RolloutEngine engine, FleetSettings settings)
{
    public const int MaxDetails = 32;
    public const int MaxDetailLength = 512;

    public async Task PostAsync(HttpContext context, string tenant, string controllerId, long actionId, DdiActionFeedbackIn body)
    {
        await auth.AuthenticateAsync(context, tenant, controllerId, registerIfNew: false);
        var (entry, meaning) = Read(body);
        long rolloutId;
        await using (var unit = await database.BeginAsync())
        {
            var action = await DdiService.OwnActionAsync(unit, tenant, controllerId, actionId);
            rolloutId = action.RolloutId;
            var verdict = FeedbackOrder.Judge(action.State, meaning.State);
            ThrowIfRefused(verdict, action, meaning);
            var now = settings.Time.GetUtcNow().ToUnixTimeMilliseconds();
            if (verdict == FeedbackVerdict.Advance
                && !await RolloutStore.MoveActionAsync(unit, action.Id, action.State, meaning.State, meaning.ErrorCode, now))
            {
                throw FleetException.Conflict("feedback-conflict", $"action {actionId} changed while this feedback was applied: send it again");
            }
            await RolloutStore.InsertStatusAsync(unit, action.Id, entry, now);
            if (meaning.State == ActionState.Confirmed)
            {
                // As hawkBit: after a successful update the device is asked for its attributes again.
                await unit.ExecuteAsync("UPDATE devices SET request_attributes = 1 WHERE tenant = @t AND controller_id = @id", ("t", tenant), ("id", controllerId));
            }
            await unit.CommitAsync();
        }
        await engine.EvaluateAsync(rolloutId);
    }

    private static void ThrowIfRefused(FeedbackVerdict verdict, ActionRecord action, FeedbackMeaning meaning)
    {
        switch (verdict)
        {
            case FeedbackVerdict.Gone:
                // hawkBit answers 410 Gone to feedback for an action that is no longer active.
                throw new FleetException(410, "action-closed", $"action {action.Id} is closed ({action.State.Name()}): no more feedback is taken");
            case FeedbackVerdict.OutOfOrder:
                throw FleetException.Conflict("feedback-out-of-order",
                    $"action {action.Id} is already {action.State.Name()}: '{meaning.State.Name()}' would go back");
        }
    }

    private static (ActionStatusEntry Entry, FeedbackMeaning Meaning) Read(DdiActionFeedbackIn body)
    {
        var status = body.Status ?? throw Invalid("status is required");
        var execution = status.Execution ?? throw Invalid("status.execution is required");
        var finished = status.Result?.Finished ?? throw Invalid("status.result.finished is required");
        var details = status.Details ?? [];
        if (details.Count > MaxDetails || details.Any(d => d is null || d.Length > MaxDetailLength))
        {
            throw Invalid($"status.details: at most {MaxDetails} strings of at most {MaxDetailLength} characters");
        }
        var meaning = FeedbackMapping.Map(execution, finished, details, status.Code)
            ?? throw Invalid($"status.execution '{Clip(execution)}' with result.finished '{Clip(finished)}' is not DDI "
                + "(execution: closed, proceeding, canceled, scheduled, rejected, resumed, downloaded, download; finished: success, failure, none)");
        return (new ActionStatusEntry(execution, finished, meaning.State, details, body.Timestamp), meaning);
    }

    private static FleetException Invalid(string message) => FleetException.BadRequest("invalid-feedback", message);

    private static string Clip(string s) => s.Length <= 32 ? s : s[..32] + "...";
}
