using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NfOta.Fleet.Hosting;

namespace NfOta.Fleet.Ddi;

/// <summary>The DDI routes (hawkBit's DdiRootControllerRestApi, the subset a device needs), answering hal+json as hawkBit does.</summary>
public static class DdiEndpoints
{
    public const string Root = "/{tenant}/controller/v1/{controllerId}";
    private const string HalJson = "application/hal+json";

    public static void Map(WebApplication app, DdiService ddi, FeedbackService feedback, int maxBodyBytes)
    {
        app.MapGet(Root, async (HttpContext c, string tenant, string controllerId) =>
            Results.Json(await ddi.PollAsync(c, tenant, controllerId), DdiSerializer.Options, HalJson));

        app.MapGet(Root + "/deploymentBase/{actionId}", async (HttpContext c, string tenant, string controllerId, string actionId) =>
            Results.Json(await ddi.DeploymentAsync(c, tenant, controllerId, ActionId(actionId)), DdiSerializer.Options, HalJson));

        app.MapPost(Root + "/deploymentBase/{actionId}/feedback", async (HttpContext c, string tenant, string controllerId, string actionId) =>
        {
            var id = ActionId(actionId);
            var body = await JsonBody.ReadAsync<DdiActionFeedbackIn>(c, maxBodyBytes, DdiSerializer.Options);
            await feedback.PostAsync(c, tenant, controllerId, id, body);
            return Results.Ok();
        });

        app.MapPut(Root + "/configData", async (HttpContext c, string tenant, string controllerId) =>
        {
            var body = await JsonBody.ReadAsync<DdiConfigDataIn>(c, maxBodyBytes, DdiSerializer.Options);
            await ddi.PutConfigDataAsync(c, tenant, controllerId, body);
            return Results.Ok();
        });
    }

    private static long ActionId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw FleetException.BadRequest("invalid-action-id", $"actionId '{(text.Length > 24 ? text[..24] + "..." : text)}' is not a positive number");
}
