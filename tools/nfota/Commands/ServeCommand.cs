using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using NfOta.Cli.Cli;
using NfOta.Server;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota serve</c>: the update server (Kestrel) for a package folder.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string?>("DIR") { Description = "Package folder to serve (from nfota pack). Not with --fleet.", Arity = ArgumentArity.ZeroOrOne };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var address = new Option<string>("--address") { Description = "Address to listen on; 0.0.0.0 lets boards on the LAN connect.", DefaultValueFactory = _ => "127.0.0.1" };
        var cert = new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this PFX (certificate with private key)." };
        var password = new Option<string?>("--tls-password") { Description = "Password of the PFX (or set NFOTA_TLS_PASSWORD)." };
        var fleet = FleetServe.Options();
        var command = new Command("serve", "Serve manifests and images over HTTP(S) with Range, HEAD and ETag; logs each request with its range; refuses path traversal. "
            + "With --fleet: the fleet server instead (hawkBit DDI for devices, staged rollouts, admin API for `nfota fleet`), state in --db. Ctrl+C stops.")
        {
            directory, port, address, cert, password,
        };
        fleet.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetRequiredValue(address), out var ip))
            {
                throw new CliException("invalid-argument", $"--address '{parse.GetValue(address)}' is not an IP address (127.0.0.1, 0.0.0.0, ...)");
            }
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliException("invalid-argument", $"--port {portValue} is not between 0 and 65535");
            }
            if (parse.GetValue(fleet.Fleet))
            {
                if (parse.GetValue(directory) is not null || parse.GetValue(cert) is not null)
                {
                    throw new CliException("invalid-argument", "serve --fleet takes no DIR or --tls-cert: serve the release folder with a second `nfota serve DIR` (or any static host or CDN) and put the fleet behind a TLS proxy");
                }
                return await FleetServe.RunAsync(context, parse, fleet, ip, portValue, cancellationToken);
            }
            X509Certificate2? certificate = parse.GetValue(cert) is { } pfx
                ? TlsCertificate.Load(pfx, parse.GetValue(password) ?? Environment.GetEnvironmentVariable("NFOTA_TLS_PASSWORD"))
                : null;
            var root = parse.GetValue(directory) ?? throw new CliException("usage", "serve needs DIR, the package folder (or --fleet for the fleet server)");
            if (!Directory.Exists(root))
            {
                throw new CliException("file-not-found", $"package folder '{root}' does not exist");
            }
            UpdateServer server;
            try
            {
                server = await UpdateServer.StartAsync(new UpdateServerOptions
                {
                    Root = root,
                    Port = portValue,
                    Address = ip,
                    Certificate = certificate,
                    Log = entry => { lock (context.Out) context.Out.WriteLine($"{DateTime.Now:HH:mm:ss} {TerminalText.Escape(entry.ToString())}"); },
                }, cancellationToken);
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                throw ListenFailure.Explain(e, ip, portValue);
            }
            await using var _ = server;
            lock (context.Out)
            {
                context.Out.WriteLine($"serving {TerminalText.Escape(Path.GetFullPath(root))} at {server.BaseUri} (Ctrl+C stops)");
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
        });
        return command;
    }
}
