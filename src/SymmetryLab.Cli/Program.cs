using SymmetryLab.Cli;

return SymlabCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
