using System.CommandLine;
using System.CommandLine.Invocation;
using NfOta.Cli.Cli;
using NfOta.Cli.Commands;
using NfOta.Esp32.Errors;

namespace NfOta.Cli;

/// <summary>The command tree and the one place errors become a single stderr line and an exit code.</summary>
public static class NfOtaCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("nfota: build, sign, encrypt, serve and inspect OTA updates for .NET nanoFramework on ESP32 with flash encryption and secure boot v2.");
        root.Add(FlashCommands.Create(context));
        root.Add(SecureBootCommands.Create(context));
        root.Add(PartitionCommands.Create(context));
        root.Add(InspectCommand.Create(context));
        root.Add(KeysCommands.Create(context));
        root.Add(PackCommands.Pack(context));
        root.Add(PackCommands.Verify(context));
        root.Add(EncryptedImageCommands.Encrypt(context));
        root.Add(EncryptedImageCommands.Decrypt(context));
        root.Add(ServeCommand.Create(context));
        root.Add(FleetCommands.Create(context));
        root.Add(McuBootCommands.Create(context));
        root.Add(DemoCommand.Create(context));
        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var command = parse.CommandResult.Command;
            var path = string.Join(' ', Ancestry(parse).Select(c => c.Name));
            // The parser lays its message out over lines and tabs; an error is one line.
            var message = string.Join(' ', parse.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            context.Error.WriteLine($"nfota: error: {TerminalText.Escape(message)} (see '{path} --help') [usage]");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (CliException e)
        {
            context.Error.WriteLine($"nfota: error: {TerminalText.Escape(e.Message)} [{e.Code}]");
            return e.ExitCode;
        }
        catch (NfOta.Packaging.PackagingException e)
        {
            context.Error.WriteLine($"nfota: error: {TerminalText.Escape(e.Message)} [{e.Code}]");
            return e.Code == "file-not-writable" ? ExitCodes.Failure : ExitCodes.BadInput;
        }
        catch (Esp32FormatException e)
        {
            context.Error.WriteLine($"nfota: error: {TerminalText.Escape(e.Message)} [{e.Code}]");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("nfota: cancelled [cancelled]");
            return ExitCodes.Failure;
        }
    }

    private static IEnumerable<Command> Ancestry(ParseResult parse)
    {
        var chain = new List<Command>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            chain.Add(result.Command);
        }
        chain.Reverse();
        return chain.Select((c, i) => i == 0 ? new Command("nfota") : c);
    }
}
