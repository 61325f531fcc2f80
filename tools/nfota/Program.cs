using NfOta.Cli;
using NfOta.Cli.Cli;

return NfOtaCli.Run(args, CliContext.Terminal);
