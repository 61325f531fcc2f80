using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Fleet.Security;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota fleet</c>: the operator's side of the fleet server (tenant token, devices, cohorts, rollouts), over its admin API.</summary>
public static class FleetCommands
{
    public static Command Create(CliContext context)
    {
        var connection = new FleetConnection();
        var fleet = new Command("fleet", "Operate a fleet server (nfota serve --fleet) through its admin API: the tenant's gateway token, devices and their tokens, "
            + "cohorts, and rollouts (start, pause, resume, abort). Needs the admin token (--token or NFOTA_ADMIN_TOKEN).");
        connection.AddTo(fleet);
        fleet.Add(Tenant(context, connection));
        fleet.Add(Devices(context, connection));
        fleet.Add(Cohort(context, connection));
        fleet.Add(FleetRolloutCommands.Create(context, connection));
        return fleet;
    }

    private static Command Tenant(CliContext context, FleetConnection connection)
    {
        var gateway = new Option<string?>("--gateway-token") { Description = "The tenant's gateway token (DDI GatewayToken: may speak for, and register, any device). Made and printed when absent." };
        var command = new Command("tenant", "Create the tenant and set its gateway token.") { gateway };
        var made = "";
        connection.Handle(command, context, async (parse, client, ct) =>
        {
            var token = parse.GetValue(gateway);
            made = token is null ? TokenHash.NewToken() : "";
            return await client.SendAsync(HttpMethod.Put, "", new { gatewayToken = token ?? made }, ct);
        }, (output, _) => output.WriteLine(made.Length > 0 ? $"gateway token set: {made}" : "gateway token set"));
        return command;
    }

    private static Command Devices(CliContext context, FleetConnection connection)
    {
        var devices = new Command("devices", "List the devices with the state of their latest rollout (or add some: devices add).");
        connection.Handle(devices, context, (_, client, ct) => client.SendAsync(HttpMethod.Get, "/devices", null, ct), FleetPrint.Devices);
        var ids = new Argument<string[]>("ID") { Description = "Controller ids (as the devices poll with).", Arity = ArgumentArity.OneOrMore };
        var token = new Option<string?>("--target-token") { Description = "The device's TargetToken (one ID only); made and printed per device when absent." };
        var add = new Command("add", "Pre-create devices with their target tokens (a device may also register itself on its first poll with the gateway token).") { ids, token };
        var made = new List<(string Id, string Token)>();
        connection.Handle(add, context, async (parse, client, ct) =>
        {
            var list = parse.GetRequiredValue(ids);
            if (parse.GetValue(token) is { } given && list.Length > 1)
            {
                throw new CliException("usage", "--target-token goes with one ID; leave it out to get a new token per device");
            }
            made.AddRange(list.Select(id => (id, parse.GetValue(token) ?? TokenHash.NewToken())));
            return await client.SendAsync(HttpMethod.Post, "/devices", new { devices = made.Select(d => new { controllerId = d.Id, targetToken = d.Token }) }, ct);
        }, (output, _) => made.ForEach(d => output.WriteLine($"{d.Id} {d.Token}")));
        devices.Add(add);
        return devices;
    }

    private static Command Cohort(CliContext context, FleetConnection connection)
    {
        var cohort = new Command("cohort", "Cohorts: named sets of devices a release is rolled out to.");
        var name = new Argument<string>("NAME") { Description = "The cohort's name." };
        var ids = new Argument<string[]>("ID") { Description = "Devices to put in it (already added or registered).", Arity = ArgumentArity.ZeroOrMore };
        var create = new Command("create", "Create a cohort, with devices if given.") { name, ids };
        connection.Handle(create, context, (parse, client, ct) =>
            client.SendAsync(HttpMethod.Post, "/cohorts", new { name = parse.GetRequiredValue(name), devices = parse.GetValue(ids) }, ct),
            (output, _) => output.WriteLine("cohort created"));
        var name2 = new Argument<string>("NAME") { Description = "The cohort's name." };
        var ids2 = new Argument<string[]>("ID") { Description = "Devices to add (all or none).", Arity = ArgumentArity.OneOrMore };
        var add = new Command("add", "Add devices to a cohort (all or none).") { name2, ids2 };
        connection.Handle(add, context, (parse, client, ct) =>
            client.SendAsync(HttpMethod.Post, $"/cohorts/{Uri.EscapeDataString(parse.GetRequiredValue(name2))}/devices", new { devices = parse.GetRequiredValue(ids2) }, ct),
            (output, _) => output.WriteLine("devices added"));
        cohort.Add(create);
        cohort.Add(add);
        return cohort;
    }
}
