using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NfOta.Fleet.Hosting;
using NfOta.Fleet.Security;
using NfOta.Fleet.Service;

namespace NfOta.Fleet.Admin;

/// <summary>
/// The admin API under /admin/v1/tenants/{tenant}, behind "Authorization: Bearer &lt;admin token&gt;"
/// (a token of its own: no device or gateway token opens it).
/// </summary>
public static class AdminEndpoints
{
    public const string Root = "/admin/v1/tenants/{tenant}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 16 };

    public static void Map(WebApplication app, AdminService admin, string? adminTokenHash, int maxBodyBytes)
    {
        var group = app.MapGroup(Root);
        group.AddEndpointFilter(async (context, next) =>
        {
            Authorize(context.HttpContext, adminTokenHash);
            return await next(context);
        });
        Task<T> Body<T>(HttpContext c) where T : class => JsonBody.ReadAsync<T>(c, maxBodyBytes, Json);

        group.MapPut("", async (HttpContext c, string tenant) => { await admin.PutTenantAsync(tenant, await Body<TenantIn>(c)); return Results.NoContent(); });
        group.MapPost("/devices", async (HttpContext c, string tenant) =>
            Results.Json(new { added = await admin.AddDevicesAsync(tenant, await Body<DevicesIn>(c)) }, Json));
        group.MapGet("/devices", async (string tenant) => Results.Json(await admin.ListDevicesAsync(tenant), Json));
        group.MapPost("/cohorts", async (HttpContext c, string tenant) =>
        {
            await admin.CreateCohortAsync(tenant, await Body<CohortIn>(c));
            return Results.StatusCode(201);
        });
        group.MapGet("/cohorts", async (string tenant) => Results.Json(await admin.ListCohortsAsync(tenant), Json));
        group.MapPost("/cohorts/{cohort}/devices", async (HttpContext c, string tenant, string cohort) =>
        {
            await admin.AddMembersAsync(tenant, cohort, await Body<MembersIn>(c));
            return Results.NoContent();
        });
        group.MapPost("/rollouts", async (HttpContext c, string tenant) =>
            Results.Json(await admin.StartRolloutAsync(tenant, await Body<RolloutIn>(c)), Json, statusCode: 201));
        group.MapGet("/rollouts", async (string tenant) => Results.Json(await admin.ListRolloutsAsync(tenant), Json));
        group.MapGet("/rollouts/{id}", async (string tenant, string id) => Results.Json(await admin.GetRolloutAsync(tenant, RolloutId(id)), Json));
        foreach (var command in Enum.GetValues<OperatorCommand>())
        {
            group.MapPost("/rollouts/{id}/" + command.ToString().ToLowerInvariant(), async (string tenant, string id) =>
                Results.Json(await admin.OperateAsync(tenant, RolloutId(id), command), Json));
        }
    }

    private static void Authorize(HttpContext context, string? adminTokenHash)
    {
        if (adminTokenHash is null)
        {
            throw new FleetException(403, "admin-disabled", "the admin API is closed: start the server with an admin token");
        }
        var header = AuthorizationHeader.Parse(context.Request.Headers.Authorization);
        if (header.Scheme != TokenScheme.Bearer || !TokenHash.Matches(header.Token, adminTokenHash))
        {
            throw new FleetException(401, "unauthorized", "send Authorization: Bearer <admin token>");
        }
    }

    private static long RolloutId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw FleetException.BadRequest("invalid-rollout-id", "the rollout id is a positive number");
}
