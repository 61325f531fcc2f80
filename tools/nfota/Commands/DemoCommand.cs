using System.CommandLine;
using System.Diagnostics;
using NfOta.Cli.Cli;
using NfOta.Cli.Demo;
using NfOta.Cli.Demo.Fleet;
using NfOta.Engine;
using NfOta.Esp32.Chips;
using Spectre.Console;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota demo</c>: the whole update path on an emulated board, in well under a minute.</summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var chip = new Option<string>("--chip") { Description = "Chip to emulate.", DefaultValueFactory = _ => "esp32" };
        chip.AcceptOnlyFromAmong("esp32", "esp32c3", "esp32s3");
        var output = new Option<string>("--out") { Description = "Folder for the keys, releases and the final flash dump.", DefaultValueFactory = _ => "nfota-demo" };
        var json = new Option<bool>("--json") { Description = "Print the closing report as JSON (no progress bar)." };
        var encrypted = new Option<bool>("--encrypted")
        {
            Description = "Pre-encrypt every firmware release for the board's own RSA-3072 device key (esp_encrypted_img, kept in its nfota_key partition), " +
                "and show a release made for another board's key refused.",
        };
        var command = new Command("demo", """
            Run a whole update story with no board: create keys and firmware 1.0.0/2.0.0/3.0.0, provision an
            emulated chip with flash encryption and secure boot v2, serve the releases over loopback HTTPS,
            update 1.0.0 -> 2.0.0 with the device's own engine and native component, reboot, confirm; then
            install 3.0.0, whose health check fails, and roll back. Leaves the flash dump and keys for nfota inspect.
            Exit 0 when the board ends on 2.0.0, confirmed, with 3.0.0 rejected.
            With --encrypted the firmware releases are pre-encrypted for the board's device key.
            With --fleet: --boards boards (200) poll a fleet server (hawkBit DDI) over loopback; a good
            release rolls out wave by wave to all, a bad one pauses itself and its boards roll back.
            """) { chip, output, json, encrypted };
        var fleet = new Option<bool>("--fleet") { Description = "Run the fleet story instead: many boards, a fleet server, staged rollouts that stop themselves." };
        var boards = new Option<int>("--boards") { Description = "With --fleet: how many emulated boards (1 to 1000).", DefaultValueFactory = _ => 200 };
        boards.Validators.Add(result =>
        {
            if (result.GetValue(boards) is < 1 or > 1000) result.AddError("--boards takes 1 to 1000");
        });
        var db = new Option<string?>("--db") { Description = "With --fleet: the fleet server's database, a PostgreSQL connection string (default: a SQLite file in --out)." };
        command.Options.Add(fleet);
        command.Options.Add(boards);
        command.Options.Add(db);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var espChip = EspChip.Parse(parse.GetRequiredValue(chip));
            var directory = parse.GetRequiredValue(output);
            var asJson = parse.GetValue(json);
            DemoFolder.Claim(directory);
            var watch = Stopwatch.StartNew();
            Action<string> say = asJson ? _ => { } : line => context.Out.WriteLine($"[{watch.Elapsed.TotalSeconds,5:F1}s] {line}");
            if (parse.GetValue(fleet))
            {
                return await FleetDemoOutput.RunAsync(context, new FleetDemoRun(espChip, directory, parse.GetValue(boards), parse.GetValue(db), say), directory, asJson, cancellationToken);
            }
            var run = new DemoRun(espChip, directory, say, parts => Progress(context, asJson, parts), parse.GetValue(encrypted));
            DemoReport report;
            try
            {
                report = await run.RunAsync(cancellationToken);
            }
            finally
            {
                // Even a run that stopped half-way leaves only files the next run may replace.
                DemoFolder.Record(directory);
            }

            if (asJson)
            {
                context.Out.WriteLine(CliJson.Serialize(report));
                return report.AsExpected ? ExitCodes.Ok : ExitCodes.Rejected;
            }
            DemoTable.Write(context.Console, context.Out, $"nfota demo on an emulated {espChip.DisplayName} ({watch.Elapsed.TotalSeconds:F1} s, {report.HttpRequests} HTTPS requests)", report.Rows);
            context.Out.WriteLine("* modelled device time for erase, program and read, from datasheet figures (NfOta.Emulator FlashTiming)");
            context.Out.WriteLine(report.AsExpected ? $"OK: {report.Summary}" : $"FAILED: {report.Summary}");
            context.Out.WriteLine($"flash dump: {TerminalText.Escape(report.DumpPath)}; explain it with:");
            context.Out.WriteLine("  " + TerminalText.Escape(InspectCommandLine(report, Invocation.Prefix())));
            return report.AsExpected ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    /// <summary>
    /// The inspect command as the user can paste it: run the way this nfota was run (from a clone
    /// through dotnet as the README does, or the installed tool), with absolute paths and quotes
    /// where a shell needs them.
    /// </summary>
    internal static string InspectCommandLine(DemoReport report, string invocation)
    {
        string[] args = ["inspect", Path.GetFullPath(report.DumpPath), "--chip", report.Chip, "--table-offset", $"0x{report.TableOffset:X}",
            "--key", Path.GetFullPath(report.FlashKeyPath), "--secure-boot-key", Path.GetFullPath(report.SecureBootKeyPath)];
        return invocation + " " + string.Join(' ', args.Select(ShellWord.Quote));
    }

    /// <summary>
    /// A live bar on a terminal, one line per finished download otherwise (logs, CI). A release's
    /// files come one after the other, each counted from 0: <paramref name="parts"/> names them in
    /// order ("firmware 2.0.0", "app 2.0.0").
    /// </summary>
    private static ProgressHandler Progress(CliContext context, bool quiet, string[] parts)
    {
        if (quiet)
        {
            return (_, _) => { };
        }
        var part = 0;
        var last = -1;
        return (done, total) =>
        {
            if (done < last && part < parts.Length - 1) part++; // the next file started
            last = done;
            var label = parts[part];
            if (context.Interactive)
            {
                var width = 30;
                var filled = (int)((long)width * done / Math.Max(1, total));
                context.Out.Write($"\r  {label} [{new string('#', filled)}{new string('.', width - filled)}] {done * 100L / Math.Max(1, total),3}% {done:N0}/{total:N0} bytes");
                if (done == total) context.Out.WriteLine();
            }
            else if (done == total)
            {
                context.Out.WriteLine($"  downloaded {label}: {total:N0} bytes");
            }
        };
    }
}
