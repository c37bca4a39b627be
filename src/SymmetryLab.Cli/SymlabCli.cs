using System.CommandLine;
using SymmetryLab.Cli.Commands;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Runs;

namespace SymmetryLab.Cli;

/// <summary>Exit codes of SPEC.md.</summary>
public static class ExitCodes
{
    public const int Success = 0, Failure = 1, BadInput = 2, Diverged = 3;
}

/// <summary>A usage error found after parsing (a value out of range, a flag that needs another); exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Where a command writes: standard output (results), standard error (messages), and whether a person is watching.</summary>
public sealed record CommandIO(TextWriter Out, TextWriter Err, bool Interactive);

/// <summary>The <c>symlab</c> command line: builds the commands, maps failures to SPEC.md exit codes.</summary>
public static class SymlabCli
{
    /// <summary>The commands' names, as <see cref="Commands"/> makes them.</summary>
    internal static IReadOnlySet<string> CommandNames { get; } = new HashSet<string>(
        ["train", "predict", "gradcheck", "inspect", "explain", "demo", "experiment", "data", "compare", "sweep", "report", "export", "import", "audit", "serve"], StringComparer.Ordinal);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var root = Commands(new CommandIO(stdout, stderr, interactive));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"symlab: {error.Message}");
            stderr.WriteLine("symlab: see 'symlab --help'");
            return ExitCodes.BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The root command and its subcommands, writing to <paramref name="io"/>.</summary>
    internal static RootCommand Commands(CommandIO io)
    {
        var root = new RootCommand("SymmetryLab: train dense networks and see how their units break symmetry.");
        root.Subcommands.Add(TrainCommand.Create(io));
        root.Subcommands.Add(PredictCommand.Create(io));
        root.Subcommands.Add(GradcheckCommand.Create(io));
        root.Subcommands.Add(InspectCommand.Create(io));
        root.Subcommands.Add(ExplainCommand.Create(io));
        root.Subcommands.Add(DemoCommand.Create(io));
        root.Subcommands.Add(ExperimentCommand.Create(io));
        root.Subcommands.Add(DataCommand.Create(io));
        root.Subcommands.Add(CompareCommand.Create(io));
        root.Subcommands.Add(SweepCommand.Create(io));
        root.Subcommands.Add(ReportCommand.Create(io));
        root.Subcommands.Add(ExportCommand.Create(io));
        root.Subcommands.Add(ImportCommand.Create(io));
        root.Subcommands.Add(AuditCommand.Create(io));
        root.Subcommands.Add(ServeCommand.Create(io));
        return root;
    }

    /// <summary>Runs a command body and turns what it throws into a message and an exit code.</summary>
    public static int Guard(CommandIO io, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UsageException or DataException or SettingsException or ModelMismatchException)
        {
            // The library's typed exceptions, said with the flags that set what they name.
            io.Err.WriteLine($"symlab: {FlagMessages.Of(e)}");
            return ExitCodes.BadInput;
        }
        catch (TrainingDivergedException e)
        {
            io.Err.WriteLine($"symlab: {FlagMessages.Of(e)}");
            return ExitCodes.Diverged;
        }
        catch (OutOfMemoryException)
        {
            io.Err.WriteLine("symlab: not enough memory for this network and data (try narrower --layers or a smaller --batch)");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Err.WriteLine($"symlab: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not the user's doing: one line that says so, not a trace and a crash (exit 134).
            io.Err.WriteLine($"symlab: internal error ({e.GetType().Name}: {e.Message}); please report it with the command that caused it");
            return ExitCodes.Failure;
        }
    }
}
