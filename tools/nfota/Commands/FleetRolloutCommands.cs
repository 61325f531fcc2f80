using System.CommandLine;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota fleet rollout</c>: start a release for a cohort in waves; list, show, pause, resume, abort.</summary>
public static class FleetRolloutCommands
{
    public static Command Create(CliContext context, FleetConnection connection)
    {
        var rollout = new Command("rollout", "Rollouts: a release for a cohort, in waves (default 1, 10, 50, 100 %) that open as the last one succeeds; "
            + "pauses itself when failures (refused, rolled back, no confirmation by the deadline) pass the limits.");
        connection.Handle(rollout, context, (_, client, ct) => client.SendAsync(HttpMethod.Get, "/rollouts", null, ct), FleetPrint.Rollouts);
        rollout.Add(Start(context, connection));
        var show = new Command("show", "One rollout with its waves and counts.") { Id() };
        connection.Handle(show, context, (parse, client, ct) => client.SendAsync(HttpMethod.Get, $"/rollouts/{IdOf(parse, show)}", null, ct), FleetPrint.Rollout);
        rollout.Add(show);
        foreach (var (verb, text) in new[]
        {
            ("pause", "Pause: no new wave opens and boards that have not started are held."),
            ("resume", "Resume a paused rollout; the failures so far are accepted, the limits count from now."),
            ("abort", "Abort: boards that have not started are withdrawn; boards under way may finish."),
        })
        {
            var command = new Command(verb, text) { Id() };
            connection.Handle(command, context, (parse, client, ct) => client.SendAsync(HttpMethod.Post, $"/rollouts/{IdOf(parse, command)}/{verb}", null, ct), FleetPrint.Rollout);
            rollout.Add(command);
        }
        return rollout;
    }

    private static Command Start(CliContext context, FleetConnection connection)
    {
        var o = new StartOptions();
        var start = new Command("start", "Start rolling a packed release out to a cohort. Devices download PROJECT-VERSION.* from --base-url (nfota serve, any static host or CDN).")
        {
            o.Cohort, o.Release, o.Version, o.BaseUrl, o.Waves, o.SuccessPercent, o.MaxFailures, o.MaxFailurePercent, o.MinFinished, o.DeadlineSeconds,
        };
        connection.Handle(start, context, (parse, client, ct) =>
            client.SendAsync(HttpMethod.Post, "/rollouts", o.Body(parse), ct), FleetPrint.Rollout);
        return start;
    }

    private static Argument<long> Id() => new("ID") { Description = "The rollout's id (nfota fleet rollout lists them)." };

    private static long IdOf(ParseResult parse, Command command) => parse.GetRequiredValue((Argument<long>)command.Arguments[0]);

    private sealed class StartOptions
    {
        public Option<string> Cohort { get; } = new("--cohort") { Description = "The cohort to roll out to.", Required = true };

        public Option<string> Release { get; } = new("--release") { Description = "The folder nfota pack wrote (its PROJECT-VERSION.* files are the release).", Required = true };

        public Option<string> Version { get; } = new("--version") { Description = "The release's version (as packed).", Required = true };

        public Option<string> BaseUrl { get; } = new("--base-url") { Description = "Where devices download the release folder's files (the --url-base it was packed with).", Required = true };

        public Option<string?> Waves { get; } = new("--waves") { Description = "Cumulative wave sizes in percent, the last 100 (default 1,10,50,100)." };

        public Option<double?> SuccessPercent { get; } = new("--success-percent") { Description = "A wave is done when this share of the boards offered so far confirmed (default 95)." };

        public Option<int?> MaxFailures { get; } = new("--max-failures") { Description = "Pause at this many failures (default 5; 0 turns it off)." };

        public Option<double?> MaxFailurePercent { get; } = new("--max-failure-percent") { Description = "Pause when this share of finished boards failed (default 10; 0 turns it off)..." };

        public Option<int?> MinFinished { get; } = new("--min-finished") { Description = "...once at least this many boards finished (default 10)." };

        public Option<int?> DeadlineSeconds { get; } = new("--deadline-seconds") { Description = "A board that has not confirmed this long after it was offered the release has failed (default 3600)." };

        public object Body(ParseResult parse) => new
        {
            cohort = parse.GetRequiredValue(Cohort),
            version = parse.GetRequiredValue(Version),
            baseUrl = parse.GetRequiredValue(BaseUrl),
            files = ReleaseFiles.Describe(parse.GetRequiredValue(Release), parse.GetRequiredValue(Version)),
            waves = parse.GetValue(Waves),
            successPercent = parse.GetValue(SuccessPercent),
            maxFailures = parse.GetValue(MaxFailures),
            maxFailurePercent = parse.GetValue(MaxFailurePercent),
            minFinished = parse.GetValue(MinFinished),
            confirmDeadlineSeconds = parse.GetValue(DeadlineSeconds),
        };
    }
}
