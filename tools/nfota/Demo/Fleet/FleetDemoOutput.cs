using NfOta.Cli.Cli;

namespace NfOta.Cli.Demo.Fleet;

/// <summary>How `nfota demo --fleet` reports: one line per rollout and the verdict, or the report as JSON.</summary>
public static class FleetDemoOutput
{
    public static async Task<int> RunAsync(CliContext context, FleetDemoRun run, string directory, bool asJson, CancellationToken cancellationToken)
    {
        FleetDemoReport report;
        try
        {
            report = await run.RunAsync(cancellationToken);
        }
        finally
        {
            DemoFolder.Record(directory);
        }
        if (asJson)
        {
            context.Out.WriteLine(CliJson.Serialize(report));
        }
        else
        {
            foreach (var r in report.Rollouts)
            {
                context.Out.WriteLine($"{r.Version}: {r.State}{(r.Reason is null ? "" : $" ({r.Reason})")}; {r.Targeted} targeted, {r.Confirmed} confirmed, {r.Failed} failed, {r.Untouched} untouched");
            }
            context.Out.WriteLine(report.AsExpected ? $"OK: {report.Summary}" : $"FAILED: {report.Summary}");
        }
        return report.AsExpected ? ExitCodes.Ok : ExitCodes.Rejected;
    }
}
