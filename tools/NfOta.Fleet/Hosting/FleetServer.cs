using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NfOta.Fleet.Admin;
using NfOta.Fleet.Dashboard;
using NfOta.Fleet.Ddi;
using NfOta.Fleet.Security;
using NfOta.Fleet.Service;
using NfOta.Fleet.Storage;

namespace NfOta.Fleet.Hosting;

/// <summary>
/// The fleet server: Kestrel with the DDI device API and the admin API over one database, and a
/// timer that looks at running rollouts (deadlines pass without any request). All state is in the
/// database: a new server over the same file carries on where the last one stopped.
/// </summary>
public sealed class FleetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FleetDatabase _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _timer;

    private FleetServer(WebApplication app, FleetDatabase database, Uri baseUri, RolloutEngine engine, TimeSpan every)
    {
        _app = app;
        _database = database;
        BaseUri = baseUri;
        _timer = EvaluateLoopAsync(engine, every, _stop.Token);
    }

    /// <summary>Where the server listens, ending in '/'.</summary>
    public Uri BaseUri { get; }

    public static async Task<FleetServer> StartAsync(FleetServerOptions options, CancellationToken cancellationToken = default)
    {
        var database = FleetDatabase.Open(options.Database, options.LockTimeoutSeconds);
        try
        {
            await Migrations.ApplyAsync(database, cancellationToken);
            var app = Build(options, database, out var engine);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FleetServer(app, database, new Uri(address.TrimEnd('/') + "/"), engine, options.EvaluateEvery);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static WebApplication Build(FleetServerOptions options, FleetDatabase database, out RolloutEngine engine)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Listen(options.Address, options.Port);
        });
        var app = builder.Build();
        var settings = new FleetSettings { Time = options.Time, PollingInterval = options.PollingInterval, PublicBaseUrl = options.PublicBaseUrl };
        var devices = new DeviceStore(database);
        engine = new RolloutEngine(database, options.Time);
        var auth = new DeviceAuthenticator(devices, options.Time);
        app.Use((context, next) => ErrorBody.HandleAsync(context, () => next(context), options.Log));
        DdiEndpoints.Map(app, new DdiService(database, devices, auth, settings), new FeedbackService(database, auth, engine, settings), options.MaxDeviceBodyBytes);
        var cohorts = new CohortStore(database);
        var admin = new AdminService(database, devices, cohorts, engine, options.Time);
        var adminTokenHash = options.AdminToken is null ? null : TokenHash.Of(options.AdminToken);
        AdminEndpoints.Map(app, admin, adminTokenHash, options.MaxBodyBytes);
        DashboardEndpoints.Map(app, admin, cohorts, adminTokenHash, options.Time);
        app.MapFallback(context => ErrorBody.WriteAsync(context, 404, "not-found", "no such resource"));
        return app;
    }

    private static async Task EvaluateLoopAsync(RolloutEngine engine, TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await engine.EvaluateRunningAsync();
                }
                catch (System.Data.Common.DbException)
                {
                    // The database is away for now; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _timer;
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        _stop.Dispose();
    }
}
