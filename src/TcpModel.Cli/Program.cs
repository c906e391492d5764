return TcpModel.Cli.CliMain.Run(args, Console.Out, Console.Error);
