using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NfOta.Fleet.Rollouts;
using NfOta.Fleet.Service;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Ddi;

/// <summary>The device side of DDI: base poll, deployment base, configData. Feedback is <see cref="FeedbackService"/>.</summary>
public sealed class DdiService(FleetDatabase database, DeviceStore devices, DeviceAuthenticator auth, FleetSettings settings)
{
    public const int MaxAttributes = 64;
    public const int MaxAttributeKey = 128;
    public const int MaxAttributeValue = 512;

    private long Now => settings.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>GET /{tenant}/controller/v1/{controllerId}: when to poll again, and links to what the device should do.</summary>
    public async Task<DdiControllerBase> PollAsync(HttpContext context, string tenant, string controllerId)
    {
        var device = await auth.AuthenticateAsync(context, tenant, controllerId, registerIfNew: true);
        await devices.TouchAsync(tenant, controllerId, Now);
        ActionRecord? action;
        await using (var unit = await database.BeginReadAsync())
        {
            action = await RolloutStore.OpenActionForAsync(unit, tenant, controllerId);
        }
        var links = new Dictionary<string, DdiLink>();
        var serverBase = settings.ServerBase(context);
        if (action is not null)
        {
            links["deploymentBase"] = new DdiLink(DdiLinks.DeploymentBase(serverBase, tenant, controllerId, action));
        }
        if (device.RequestAttributes)
        {
            links["configData"] = new DdiLink(DdiLinks.ConfigData(serverBase, tenant, controllerId));
        }
        return new DdiControllerBase(new DdiConfig(new DdiPolling(PollingSleep.Format(settings.PollingInterval))), links.Count == 0 ? null : links);
    }

    /// <summary>GET .../deploymentBase/{actionId}: the release's files; the first read marks the action retrieved.</summary>
    public async Task<DdiDeploymentBase> DeploymentAsync(HttpContext context, string tenant, string controllerId, long actionId)
    {
        await auth.AuthenticateAsync(context, tenant, controllerId, registerIfNew: false);
        await using var unit = await database.BeginAsync();
        var action = await OwnActionAsync(unit, tenant, controllerId, actionId);
        var rollout = await RolloutStore.FindAsync(unit, action.RolloutId) ?? throw new InvalidOperationException("action without rollout");
        var held = action.State is ActionState.Pending or ActionState.Retrieved or ActionState.Rejected
            && rollout.State is RolloutState.Paused or RolloutState.Aborted;
        if (action.State == ActionState.Canceled || held)
        {
            // hawkBit answers 404 for an action that is canceled; a paused rollout holds boards that have not started.
            throw FleetException.NotFound("action-not-offered", $"action {actionId} is not offered now (rollout {rollout.Id} is {rollout.State.Name()})");
        }
        if (action.State == ActionState.Pending)
        {
            await RolloutStore.MoveActionAsync(unit, action.Id, ActionState.Pending, ActionState.Retrieved, null, Now);
        }
        await unit.CommitAsync();
        return Describe(action, rollout);
    }

    /// <summary>PUT .../configData: the device's attributes (firmware and app versions, slot, chip, last update error).</summary>
    public async Task PutConfigDataAsync(HttpContext context, string tenant, string controllerId, DdiConfigDataIn body)
    {
        var device = await auth.AuthenticateAsync(context, tenant, controllerId, registerIfNew: false);
        if (body.Data is null || body.Data.Count == 0)
        {
            throw FleetException.BadRequest("invalid-config-data", "data must be a non-empty object of attribute names to values");
        }
        var incoming = Attributes(body.Data);
        var merged = body.Mode switch
        {
            null or "merge" => device.Attributes.Concat(incoming).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            "replace" => incoming,
            "remove" => device.Attributes.Where(p => !incoming.ContainsKey(p.Key)).ToDictionary(),
            _ => throw FleetException.BadRequest("invalid-config-data", $"mode '{body.Mode}' is not merge, replace or remove"),
        };
        if (merged.Count > MaxAttributes)
        {
            throw FleetException.BadRequest("invalid-config-data", $"a device keeps at most {MaxAttributes} attributes");
        }
        await devices.SetAttributesAsync(tenant, controllerId, merged);
    }

    internal static async Task<ActionRecord> OwnActionAsync(FleetDatabase.Unit unit, string tenant, string controllerId, long actionId)
    {
        var action = await RolloutStore.FindActionAsync(unit, actionId);
        // Another device's action is answered exactly as a missing one (hawkBit: EntityNotFound), so ids cannot be probed.
        if (action is null || action.Tenant != tenant || action.ControllerId != controllerId)
        {
            throw FleetException.NotFound("action-not-found", $"device '{controllerId}' has no action {actionId}");
        }
        return action;
    }

    private static DdiDeploymentBase Describe(ActionRecord action, RolloutRecord rollout)
    {
        var artifacts = rollout.Files
            .Select(f => new DdiArtifact(f.Filename, new DdiArtifactHash(f.Sha1, f.Md5, f.Sha256), f.Size, DdiLinks.Artifact(rollout.BaseUrl, f.Filename)))
            .ToList();
        // One chunk: the nf-ota release (signed manifest and images); the board verifies all of it itself.
        var chunk = new DdiChunk("os", rollout.Version, "nf-ota release", artifacts);
        return new DdiDeploymentBase(action.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new DdiDeployment("forced", "forced", [chunk]));
    }

    private static Dictionary<string, string> Attributes(Dictionary<string, JsonElement> data)
    {
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in data)
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => throw FleetException.BadRequest("invalid-config-data", $"attribute '{Clip(key)}' must be a string, number or boolean"),
            };
            if (key.Length is 0 or > MaxAttributeKey || text.Length > MaxAttributeValue)
            {
                throw FleetException.BadRequest("invalid-config-data",
                    $"attribute names are 1 to {MaxAttributeKey} characters and values at most {MaxAttributeValue} ('{Clip(key)}')");
            }
            result[key] = text;
        }
        return result;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
