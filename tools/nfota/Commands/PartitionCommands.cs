using NfOta.Packaging;
using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.Partitions;

namespace NfOta.Cli.Commands;

/// <summary><c>nfota partitions to-binary|to-csv</c>: gen_esp32part.py-compatible conversion with ESP-IDF's checks.</summary>
public static class PartitionCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("partitions", "Convert partition tables between ESP-IDF's CSV and binary forms, checking ESP-IDF's rules.");
        group.Add(ToBinary(context));
        group.Add(ToCsv(context));
        return group;
    }

    private static Option<string> TableOffset() => new("--table-offset")
    {
        Description = "Flash offset of the partition table (CONFIG_PARTITION_TABLE_OFFSET), default 0x8000.",
        DefaultValueFactory = _ => "0x8000",
    };

    private static Command ToBinary(CliContext context)
    {
        var input = new Option<string>("--in") { Description = "Partition table CSV.", Required = true };
        var output = new Option<string>("--out") { Description = "Binary table (0xC00 bytes, MD5 included) to flash at the table offset.", Required = true };
        var offset = TableOffset();
        var command = new Command("to-binary", "Turn a partition table CSV into the binary ESP-IDF flashes.") { input, output, offset };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input));
            var bytes = Values.ReadFile(parse.GetRequiredValue(input), "partition CSV", InputLimit.Small);
            if (bytes.Length >= 2 && bytes[0] == 0xAA && bytes[1] == 0x50)
            {
                throw new CliException("invalid-argument", "input is already a binary partition table; use 'nfota partitions to-csv'");
            }
            var tableOffset = Values.ParseUInt32(parse.GetRequiredValue(offset), "--table-offset");
            var table = PartitionTableCsv.Parse(System.Text.Encoding.UTF8.GetString(bytes), tableOffset);
            PartitionTableValidator.Validate(table, tableOffset);
            AtomicFile.Write(outPath, PartitionTableBinary.Serialize(table));
            context.Out.WriteLine($"wrote {table.Count} partitions");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ToCsv(CliContext context)
    {
        var input = new Option<string>("--in") { Description = "Binary partition table (or a flash dump sliced at the table offset).", Required = true };
        var output = new Option<string>("--out") { Description = "CSV output.", Required = true };
        var offset = TableOffset();
        var command = new Command("to-csv", "Turn a binary partition table into CSV.") { input, output, offset };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input));
            var bytes = Values.ReadFile(parse.GetRequiredValue(input), "binary partition table", InputLimit.Small);
            var tableOffset = Values.ParseUInt32(parse.GetRequiredValue(offset), "--table-offset");
            var table = PartitionTableBinary.Parse(bytes);
            PartitionTableValidator.Validate(table, tableOffset);
            AtomicFile.WriteText(outPath, PartitionTableCsv.Format(table));
            context.Out.WriteLine($"wrote {table.Count} partitions");
            return ExitCodes.Ok;
        });
        return command;
    }
}
