return NfGen.NfGenCli.Run(args, Console.Out, Console.Error);
