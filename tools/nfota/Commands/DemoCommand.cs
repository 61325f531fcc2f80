using System.CommandLine;
using System.Diagnostics;
using NfOta.Cli.Cli;
using NfOta.Cli.Demo;
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
            """) { chip, output, json, encrypted };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var espChip = EspChip.Parse(parse.GetRequiredValue(chip));
            var directory = parse.GetRequiredValue(output);
            var asJson = parse.GetValue(json);
            DemoFolder.Claim(directory);
            var watch = Stopwatch.StartNew();
            Action<string> say = asJson ? _ => { } : line => context.Out.WriteLine($"[{watch.Elapsed.TotalSeconds,5:F1}s] {line}");
            var run = new DemoRun(espChip, directory, say, label => Progress(context, asJson, label), parse.GetValue(encrypted));
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
                context.Out.WriteLine(Json.Serialize(report));
                return report.AsExpected ? ExitCodes.Ok : ExitCodes.Rejected;
            }
            var table = new Table().Title($"nfota demo on an emulated {Markup.Escape(espChip.DisplayName)} ({watch.Elapsed.TotalSeconds:F1} s, {report.HttpRequests} HTTPS requests)")
                .AddColumns("Step", "Runs", "Slot", "State", "Image bytes", "Flash time*", "Outcome");
            foreach (var row in report.Rows)
            {
                table.AddRow(Markup.Escape(row.Step), row.Version, row.Slot, row.State,
                    row.Bytes == 0 ? "" : row.Bytes.ToString("N0"), row.FlashTime == TimeSpan.Zero ? "" : $"{row.FlashTime.TotalSeconds:F2} s", Markup.Escape(row.Outcome));
            }
            context.Console.Write(table);
            context.Out.WriteLine("* modelled device time for erase, program and read, from datasheet figures (NfOta.Emulator FlashTiming)");
            context.Out.WriteLine(report.AsExpected ? $"OK: {report.Summary}" : $"FAILED: {report.Summary}");
            context.Out.WriteLine($"flash dump: {TerminalText.Escape(report.DumpPath)}; explain it with:");
            context.Out.WriteLine("  " + TerminalText.Escape(InspectCommandLine(report)));
            return report.AsExpected ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    /// <summary>
    /// The inspect command as a newcomer can paste it: from a clone there is no nfota on PATH, so it
    /// runs through dotnet as the README does, with absolute paths and quotes where a shell needs them.
    /// </summary>
    internal static string InspectCommandLine(DemoReport report)
    {
        string[] args = ["inspect", Path.GetFullPath(report.DumpPath), "--chip", report.Chip, "--key", Path.GetFullPath(report.FlashKeyPath),
            "--secure-boot-key", Path.GetFullPath(report.SecureBootKeyPath)];
        return "dotnet run --project tools/nfota -- " + string.Join(' ', args.Select(ShellWord));
    }

    private static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '+' or '=' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A live bar on a terminal; a few plain lines otherwise (logs, CI).</summary>
    private static ProgressHandler Progress(CliContext context, bool quiet, string label)
    {
        if (quiet)
        {
            return (_, _) => { };
        }
        var lastQuarter = -1;
        return (done, total) =>
        {
            var quarter = (int)(4L * done / Math.Max(1, total));
            if (context.Interactive)
            {
                var width = 30;
                var filled = (int)((long)width * done / Math.Max(1, total));
                context.Out.Write($"\r  {label} [{new string('#', filled)}{new string('.', width - filled)}] {done * 100L / Math.Max(1, total),3}% {done:N0}/{total:N0} bytes");
                if (done == total) context.Out.WriteLine();
            }
            else if (quarter != lastQuarter)
            {
                context.Out.WriteLine($"  {label}: {done * 100L / Math.Max(1, total),3}% ({done:N0} of {total:N0} bytes)");
            }
            lastQuarter = quarter;
        };
    }
}
