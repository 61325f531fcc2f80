using System.CommandLine;
using System.Text.Json;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>The options every `nfota fleet` command shares (server, admin token, tenant, --json), and running one request with them.</summary>
public sealed class FleetConnection
{
    public Option<string> Server { get; } = new("--server")
    {
        Description = "The fleet server (nfota serve --fleet); default NFOTA_FLEET_URL or http://127.0.0.1:8080/.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NFOTA_FLEET_URL") ?? "http://127.0.0.1:8080/",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token") { Description = "The admin token (or set NFOTA_ADMIN_TOKEN).", Recursive = true };

    public Option<string> Tenant { get; } = new("--tenant") { Description = "The DDI tenant (the first part of device URLs).", DefaultValueFactory = _ => "DEFAULT", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's answer as JSON.", Recursive = true };

    public void AddTo(Command command)
    {
        command.Add(Server);
        command.Add(Token);
        command.Add(Tenant);
        command.Add(Json);
    }

    /// <summary>Sets <paramref name="command"/> to send one request and print its answer (as JSON with --json, else with <paramref name="print"/>).</summary>
    public void Handle(Command command, CliContext context,
        Func<ParseResult, FleetClient, CancellationToken, Task<JsonElement?>> call, Action<TextWriter, JsonElement?> print)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = Client(parse);
            var answer = await call(parse, client, cancellationToken);
            if (parse.GetValue(Json))
            {
                context.Out.WriteLine(answer is { } a ? JsonSerializer.Serialize(a, CliJson.Options) : "{}");
            }
            else
            {
                print(context.Out, answer);
            }
            return ExitCodes.Ok;
        });
    }

    private FleetClient Client(ParseResult parse)
    {
        var text = parse.GetRequiredValue(Server);
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new CliException("invalid-argument", $"--server '{text}' is not an http(s) URL");
        }
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("NFOTA_ADMIN_TOKEN")
            ?? throw new CliException("usage", "the admin token is needed: --token or NFOTA_ADMIN_TOKEN (nfota serve --fleet printed it or was given it)");
        return new FleetClient(server, token, parse.GetRequiredValue(Tenant));
    }
}
