using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NfOta.Fleet.Hosting;

/// <summary>
/// Turns every failure into one status and a JSON body {"errorCode", "message"} (the fields of
/// hawkBit's ExceptionInfo); never a stack trace. A database that is locked or gone is a 503, and
/// the server carries on serving.
/// </summary>
public static class ErrorBody
{
    public static async Task HandleAsync(HttpContext context, Func<Task> next, Action<string>? log)
    {
        try
        {
            await next();
        }
        catch (FleetException e)
        {
            await WriteAsync(context, e.Status, e.Code, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            var code = e.StatusCode == 413 ? "body-too-large" : "bad-request";
            await WriteAsync(context, e.StatusCode, code, e.Message);
        }
        catch (DbException e)
        {
            log?.Invoke($"database error on {context.Request.Method} {context.Request.Path}: {e.Message}");
            await WriteAsync(context, 503, "database-unavailable", "the database did not answer (locked or unreachable); nothing was changed: try again");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log?.Invoke($"internal error on {context.Request.Method} {context.Request.Path}: {e.GetType().Name}: {e.Message}");
            await WriteAsync(context, 500, "internal-error", "the server failed on this request; nothing was changed");
        }
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { errorCode = code, message }));
    }
}
