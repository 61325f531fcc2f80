using NfOta.Packaging;
using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Emulator.Inspection;
using NfOta.Esp32.Chips;
using NfOta.Esp32.SecureBoot;
using Spectre.Console;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota inspect DUMP</c>: explain a flash dump and say which slot will boot, and why.</summary>
public static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var dump = new Argument<string>("DUMP") { Description = "Raw flash dump (esptool read_flash 0 ALL dump.bin)." };
        var chip = new Option<string?>("--chip") { Description = "Chip the dump came from; detected from the bootloader header when omitted." };
        var key = new Option<string?>("--key") { Description = "Flash encryption key file, to read an encrypted dump; without it inspect can only tell that the dump is encrypted." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (stable field names, for scripts)." };
        var sbKeys = new Option<string[]>("--secure-boot-key")
        {
            Description = "Secure boot v2 key (PEM, public or private) whose digest is in eFuse; repeat for more. Enables signature checks.",
            AllowMultipleArgumentsPerToken = false,
        };
        var conf = new Option<string?>("--flash-crypt-conf") { Description = "esp32 only: FLASH_CRYPT_CONFIG (default 0xF)." };
        var tableOffset = new Option<string?>("--table-offset")
        {
            Description = "Partition table offset. Default: ESP-IDF's 0x8000, else 0xE000 (where nf-ota's firmware build puts it) when no table reads at 0x8000.",
        };
        var noRollback = new Option<bool>("--no-rollback") { Description = "The bootloader was built without CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE." };

        var command = new Command("inspect", "Explain a flash dump: partitions, both otadata sectors, every app slot, and which slot the bootloader will boot and why.")
        {
            dump, chip, key, json, sbKeys, conf, tableOffset, noRollback,
        };
        command.SetAction(parse =>
        {
            uint[] offsets = parse.GetValue(tableOffset) is { } given ? [TableOffset(given)] : [DefaultTableOffset, NfOtaTableOffset];
            var bytes = Values.ReadFile(parse.GetRequiredValue(dump), "flash dump", InputLimit.FlashData);
            var digests = new List<byte[]>();
            foreach (var path in parse.GetValue(sbKeys) ?? [])
            {
                using var k = SecureBootCommands.LoadKey(path);
                digests.Add(SecureBootV2.PublicKeyDigest(k));
            }
            var options = new InspectionOptions
            {
                Chip = parse.GetValue(chip) is { } c ? EspChip.Parse(c) : null,
                Key = parse.GetValue(key) is { } k2 ? Values.ReadFile(k2, "key file", InputLimit.Key) : null,
                FlashCryptConfig = parse.GetValue(conf) is { } cc ? (int)Values.ParseUInt32(cc, "--flash-crypt-conf") : 0xF,
                PartitionTableOffset = offsets[0],
                SecureBootKeyDigests = digests,
                AppRollback = !parse.GetValue(noRollback),
            };
            var report = FlashInspector.Inspect(bytes, options);
            // No offset given and no table at ESP-IDF's default: nf-ota's own build puts it at 0xE000.
            foreach (var other in offsets.Skip(1))
            {
                if (Readable(report.PartitionTable)) break;
                var there = FlashInspector.Inspect(bytes, options with { PartitionTableOffset = other });
                if (Readable(there.PartitionTable)) report = there;
            }
            // Ciphertext predicts nothing: the one line says what is missing, in JSON mode too.
            if (report.Unreadable is { } unreadable) throw new CliException(unreadable.Code, unreadable.Message);
            if (parse.GetValue(json)) context.Out.WriteLine(CliJson.Serialize(report));
            else Render(context.Console, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private const uint DefaultTableOffset = 0x8000;
    private const uint NfOtaTableOffset = 0xE000;

    /// <summary>A table was found there: it parsed, passed ESP-IDF's rules and has entries (erased flash parses as an empty table).</summary>
    private static bool Readable(InspectionReport.TableInfo table) => table is { Valid: true, Error: null, Entries.Count: > 0 };

    private static uint TableOffset(string text)
    {
        var offset = Values.ParseUInt32(text, "--table-offset");
        if (offset % 0x1000 != 0 || offset == 0)
        {
            // CONFIG_PARTITION_TABLE_OFFSET is a non-zero multiple of the 4 KiB flash sector.
            throw new CliException("bad-table-offset", $"--table-offset 0x{offset:X} is not a multiple of 0x1000 above 0 (ESP-IDF's default is 0x8000)");
        }
        return offset;
    }

    private static void Render(IAnsiConsole console, InspectionReport report)
    {
        var encryption = report.FlashEncrypted
            ? "flash encryption [bold]ON[/] (read through decryption with the given key)"
            : report.KeyGiven ? "flash encryption off (plaintext partition table)" : "read as plaintext (no --key)";
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]Board[/]", Text($"{EspChip.Parse(report.Chip).DisplayName}, {Size((uint)report.FlashSize)} flash, ") + encryption);
        summary.AddRow("[bold]Boots[/]", report.Boot.Partition is { } p
            ? Text($"{p}{(report.Boot.Version is { } v ? $" (version {v})" : "")}")
            : "[red]nothing[/]");
        summary.AddRow("[bold]Why[/]", Text(report.Boot.Reason));
        if (!report.Boot.SecureBootChecked) summary.AddRow("[bold]Note[/]", "secure boot signatures not checked against eFuse (pass --secure-boot-key)");
        console.Write(summary);
        console.WriteLine();

        var tableTitle = $"Partition table at 0x{report.PartitionTable.Offset:X}{(report.PartitionTable.Encrypted ? " (encrypted)" : "")}";
        if (report.PartitionTable.Valid)
        {
            var table = new Table().Title(tableTitle).AddColumns("Name", "Type", "SubType", "Offset", "Size", "Encrypted");
            foreach (var e in report.PartitionTable.Entries)
            {
                table.AddRow(Text(e.Name), PartitionKindNames.Type(e.TypeId), PartitionKindNames.Subtype(e.TypeId, e.SubtypeId), $"0x{e.Offset:X}", Size(e.Size), e.Encrypted ? "yes" : "");
            }
            console.Write(table);
        }
        else
        {
            console.MarkupLine($"[red]{Text(tableTitle)}: {Text(report.PartitionTable.Error ?? "invalid")}[/]");
        }

        if (report.Otadata is { } otadata)
        {
            var table = new Table().Title($"otadata at 0x{otadata.Offset:X}").AddColumns("#", "Address", "As the bootloader reads it", "Raw bytes", "Verdict");
            foreach (var s in otadata.Sectors)
            {
                var active = s.Index == otadata.ActiveIndex ? " [bold](active)[/]" : "";
                table.AddRow($"{s.Index}{active}", $"0x{s.Address:X}", Text(Entry(s.AsBootloaderSees)), Text(RawEntry(s, report.FlashEncrypted)), Text(s.Verdict));
            }
            console.Write(table);
        }

        if (report.Slots.Count > 0)
        {
            var table = new Table().Title("App slots").AddColumns("Slot", "Status", "Version", "Project", "secure_version", "Image", "Signature");
            foreach (var s in report.Slots)
            {
                table.AddRow(Text(s.Name), Text(SlotStatus(s)),
                    Text(s.Version ?? ""), Text(s.Project ?? ""), s.SecureVersion?.ToString() ?? "",
                    s.Length is { } l ? Size((uint)l) : "", Text(s.Signature?.Detail ?? ""));
            }
            console.Write(table);

            var apps = report.Slots.Where(s => s.App is not null).ToList();
            if (apps.Count > 0)
            {
                var appTable = new Table().Title("Managed app each slot runs").AddColumns("Slot", "Deploy partition", "Release", "Assemblies (version, native checksum)", "Binds to the slot's firmware");
                foreach (var s in apps)
                {
                    var app = s.App!;
                    // Each line escaped on its own: the newlines between them are ours.
                    var assemblies = app.Assemblies.Count == 0 ? "none" : string.Join("\n", app.Assemblies.Select(a => Text($"{a.Name} {a.Version} {a.NativeChecksum}")));
                    var binds = app.Binds switch
                    {
                        true => "[green]yes[/]",
                        false => "[red]no[/]: " + Text(string.Join("; ", app.Problems)),
                        null => "unknown (the firmware image carries no readable native table)",
                    };
                    appTable.AddRow(Text(s.Name), Text(app.Partition), Text(app.Release ?? "-"), assemblies, binds);
                }
                console.Write(appTable);
            }
        }

        console.WriteLine();
        console.MarkupLine("[bold]Bootloader log[/]");
        foreach (var line in report.Boot.Log) console.MarkupLine("  " + Text(line));
        if (report.Findings.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Findings[/]");
            foreach (var f in report.Findings)
            {
                var color = f.Severity switch { "error" => "red", "warning" => "yellow", _ => "grey" };
                console.MarkupLine($"  [{color}]{f.Severity}[/] [bold]{f.Code}[/]: {Text(f.Message)}");
            }
        }
    }

    /// <summary>Everything read from the dump is untrusted: no markup, and no control characters reach the terminal.</summary>
    private static string Text(string text) => Markup.Escape(TerminalText.Escape(text));

    /// <summary>The image check, and for a valid image the bootloader will not select (rolled back), what it does instead.</summary>
    private static string SlotStatus(InspectionReport.SlotInfo s) =>
        s.Verdict is { } verdict ? $"image valid, {verdict}"
        : s.Error is null ? s.Status
        : $"{s.Status}: {s.Error}";

    /// <summary>On an encrypted board a healthy sector's raw bytes are ciphertext, not garbage.</summary>
    private static string RawEntry(InspectionReport.OtadataSector s, bool encrypted) =>
        encrypted && !s.Raw.Erased && !s.Raw.CrcOk && (s.AsBootloaderSees.Erased || s.AsBootloaderSees.CrcOk)
            ? "ciphertext"
            : Entry(s.Raw);

    private static string Entry(InspectionReport.EntryInfo e) =>
        e.Erased ? "erased"
        : !e.CrcOk ? "garbage (CRC mismatch)"
        : $"seq {e.Seq}, {e.State}{(e.Slot is { } slot ? $" → {slot}" : "")}";

    private static string Size(uint bytes) =>
        bytes % 0x100000 == 0 ? $"{bytes >> 20} MiB" : bytes % 0x400 == 0 ? $"{bytes >> 10} KiB" : $"{bytes / 1024.0:F1} KiB";
}
