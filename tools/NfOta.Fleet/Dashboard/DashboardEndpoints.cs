using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NfOta.Fleet.Admin;
using NfOta.Fleet.Security;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Dashboard;

/// <summary>
/// GET /dashboard/{tenant}: the read-only dashboard, behind the admin token, given as the admin API
/// takes it (Authorization: Bearer) or, so a browser can open it, as the password of HTTP Basic
/// authentication (any user name). Nothing on it changes anything.
/// </summary>
public static class DashboardEndpoints
{
    public static void Map(WebApplication app, AdminService admin, CohortStore cohorts, string? adminTokenHash, TimeProvider time)
    {
        app.MapGet("/dashboard/{tenant}", async (HttpContext context, string tenant) =>
        {
            if (adminTokenHash is null || !Authorized(context.Request, adminTokenHash))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"nf-ota fleet\", charset=\"UTF-8\"";
                return Results.Text(adminTokenHash is null ? "the dashboard is closed: start the server with an admin token" : "give the admin token as the password",
                    "text/plain; charset=utf-8", Encoding.UTF8, adminTokenHash is null ? 403 : 401);
            }
            var view = new DashboardView(tenant, time.GetUtcNow(), await cohorts.ListAsync(tenant),
                await admin.ListRolloutsAsync(tenant), await admin.ListDevicesAsync(tenant));
            return Results.Text(DashboardPage.Render(view), "text/html; charset=utf-8", Encoding.UTF8);
        });
    }

    private static bool Authorized(HttpRequest request, string adminTokenHash)
    {
        string header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && TokenHash.Matches(decoded[(colon + 1)..], adminTokenHash);
        }
        var parsed = AuthorizationHeader.Parse(request.Headers.Authorization);
        return parsed.Scheme == TokenScheme.Bearer && TokenHash.Matches(parsed.Token, adminTokenHash);
    }
}
