using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using NfOta.Cli.Cli;
using NfOta.Fleet.Hosting;
using NfOta.Fleet.Security;
using NfOta.Fleet.Storage;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota serve --fleet --db DB</c>: the fleet server (DDI for devices, admin API for <c>nfota fleet</c>).</summary>
public sealed class FleetServe
{
    public required Option<bool> Fleet { get; init; }

    public required Option<string?> Db { get; init; }

    public required Option<string?> AdminToken { get; init; }

    public required Option<int> PollSeconds { get; init; }

    public required Option<string?> PublicUrl { get; init; }

    public static FleetServe Options() => new()
    {
        Fleet = new Option<bool>("--fleet") { Description = "Run the fleet server: devices poll it over hawkBit's DDI API; cohorts, staged rollouts that pause themselves, admin API." },
        Db = new Option<string?>("--db") { Description = "With --fleet: a SQLite file (created if missing; default fleet.db) or a PostgreSQL connection string (Host=...;Database=...;Username=... or postgres://...)." },
        AdminToken = new Option<string?>("--admin-token") { Description = "With --fleet: the admin API's token (or set NFOTA_ADMIN_TOKEN); without one a new token is made and printed." },
        PollSeconds = new Option<int>("--poll-seconds") { Description = "With --fleet: how often devices are told to poll (DDI config.polling.sleep).", DefaultValueFactory = _ => 60 },
        PublicUrl = new Option<string?>("--public-url") { Description = "With --fleet: the server's address as devices reach it (behind a proxy); links in DDI answers start with it." },
    };

    public void AddTo(Command command)
    {
        command.Add(Fleet);
        command.Add(Db);
        command.Add(AdminToken);
        command.Add(PollSeconds);
        command.Add(PublicUrl);
    }

    public static async Task<int> RunAsync(CliContext context, ParseResult parse, FleetServe options, IPAddress ip, int port, CancellationToken cancellationToken)
    {
        var db = parse.GetValue(options.Db) ?? "fleet.db";
        var poll = parse.GetValue(options.PollSeconds);
        if (poll is < 1 or > 86_400)
        {
            throw new CliException("invalid-argument", $"--poll-seconds {poll} is not between 1 and 86400");
        }
        var token = parse.GetValue(options.AdminToken) ?? Environment.GetEnvironmentVariable("NFOTA_ADMIN_TOKEN");
        var generated = token is null;
        token ??= TokenHash.NewToken();
        if (TokenHash.Problem(token) is { } problem)
        {
            throw new CliException("invalid-argument", $"admin token: {problem}");
        }
        await using var server = await StartAsync(context, new FleetServerOptions
        {
            Database = db,
            Address = ip,
            Port = port,
            AdminToken = token,
            PollingInterval = TimeSpan.FromSeconds(poll),
            PublicBaseUrl = parse.GetValue(options.PublicUrl),
            Log = line => { lock (context.Out) context.Out.WriteLine($"{DateTime.Now:HH:mm:ss} {TerminalText.Escape(line)}"); },
        }, cancellationToken);
        lock (context.Out)
        {
            var where = FleetDatabase.LooksLikePostgres(db) ? "PostgreSQL" : TerminalText.Escape(Path.GetFullPath(db));
            context.Out.WriteLine($"fleet server at {server.BaseUri} (devices: {server.BaseUri}{{tenant}}/controller/v1/{{controllerId}}; state in {where}) (Ctrl+C stops)");
            if (generated)
            {
                context.Out.WriteLine($"admin token (for nfota fleet --token or NFOTA_ADMIN_TOKEN): {token}");
            }
            context.Out.Flush();
        }
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop cleanly
        }
        return ExitCodes.Ok;
    }

    private static async Task<FleetServer> StartAsync(CliContext context, FleetServerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await FleetServer.StartAsync(options, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException && e is not FileNotFoundException)
        {
            throw ListenFailure.Explain(e, options.Address, options.Port);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new CliException("database-unavailable", $"cannot open the fleet database: {e.Message}", ExitCodes.Failure);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("schema", StringComparison.Ordinal))
        {
            throw new CliException("database-too-new", e.Message, ExitCodes.Failure);
        }
        catch (ArgumentException e)
        {
            throw new CliException("invalid-argument", $"--db: {e.Message}");
        }
    }
}
