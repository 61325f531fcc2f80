using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NfOta.Server;

/// <summary>
/// Serves a package directory over HTTP(S) with Kestrel. Each file is opened once, without following
/// links (<see cref="ServedRoot"/>), and ASP.NET Core's file result does the protocol from that
/// handle: single byte ranges (206 with Content-Range, 416 outside the file), HEAD, ETag and
/// Last-Modified with If-None-Match / If-Range, 404 for what is not there.
/// </summary>
public sealed class UpdateServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestLog _requests;

    private UpdateServer(WebApplication app, Uri baseUri, RequestLog requests)
    {
        _app = app;
        _requests = requests;
        BaseUri = baseUri;
    }

    /// <summary>Where the server listens, ending in '/', e.g. https://127.0.0.1:5443/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The most recent requests (<see cref="UpdateServerOptions.RecentRequests"/>), in the order they finished (waiting for any still finishing).</summary>
    public IReadOnlyList<RequestLogEntry> Requests => _requests.Snapshot();

    /// <summary>How many requests have finished since the server started, including those no longer in <see cref="Requests"/>.</summary>
    public long RequestCount => _requests.Total;

    /// <summary>Body bytes sent since the server started.</summary>
    public long BytesSent => _requests.BytesSent;

    /// <summary>The address of a file in the served directory.</summary>
    public Uri UrlOf(string relativePath) => new(BaseUri, relativePath);

    public static async Task<UpdateServer> StartAsync(UpdateServerOptions options, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(options.Root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"nothing to serve: directory '{options.Root}' does not exist");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                if (options.Certificate is not null)
                {
                    listen.UseHttps(options.Certificate);
                }
            });
        });

        var app = builder.Build();
        var served = new ServedRoot(root);
        app.Lifetime.ApplicationStopped.Register(served.Dispose);
        var requests = new RequestLog(options.RecentRequests);
        app.Use(async (context, next) =>
        {
            requests.Begin();
            var counter = new CountingStream(context.Response.Body);
            context.Response.Body = counter;
            var aborted = false;
            try
            {
                var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
                if (PathGuard.IsTraversal(raw))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsync("path traversal refused\n");
                    return;
                }
                await next(context);
            }
            catch (Exception)
            {
                // The connection broke mid-body (client gone, or a fault a test injected): log it as such.
                aborted = true;
                if (!context.RequestAborted.IsCancellationRequested)
                {
                    throw;
                }
            }
            finally
            {
                aborted |= context.RequestAborted.IsCancellationRequested;
                var entry = new RequestLogEntry(
                    context.Request.Method,
                    RequestLog.Shorten(context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/"),
                    context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null,
                    context.Response.StatusCode,
                    context.Response.Headers.ContentRange.Count > 0 ? context.Response.Headers.ContentRange.ToString() : null,
                    counter.Count,
                    aborted);
                requests.Finish(entry);
                options.Log?.Invoke(entry);
            }
        });
        options.Before?.Invoke(app);
        app.Run(context => FileResponse.SendAsync(context, served));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync(); // a port in use must not leave a half-started host behind
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UpdateServer(app, new Uri(address.TrimEnd('/') + "/"), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
