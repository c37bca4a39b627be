using SymmetryLab.Cli;

// What this command compiled at run time last time is compiled again on the other core meanwhile (JitProfile).
using (JitProfile.Start(args))
    return SymlabCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
