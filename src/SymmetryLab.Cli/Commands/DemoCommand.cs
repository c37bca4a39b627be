using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab demo</c>, the main job: the flagship experiments answer the lessons' question on real runs,
/// the answer is printed with the measured numbers, and one report holds all their figures.
/// </summary>
internal static class DemoCommand
{
    public static readonly string[] Flagship = ["why-different", "tied-2-2-1", "logistic-from-zero", "dls-initialization"];

    public static Command Create(CommandIO io)
    {
        var output = new Option<string>("--out") { Description = "Folder for the report", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var quick = new Option<bool>("--quick") { Description = "Reduced sizes that keep every claim meaningful" };
        var command = new Command("demo", "Why do the units of a layer end up different? Answered on real runs, with a report") { output, quick };
        command.SetAction(p => SymlabCli.Guard(io, () => Run(io, p.GetValue(output)!, p.GetValue(quick))));
        return command;
    }

    private static int Run(CommandIO io, string dir, bool quick)
    {
        OutputPath.Folder(dir, "--out"); // before the runs: a file or a pipe there is refused now, not minutes later
        var clock = Stopwatch.StartNew();
        io.Out.WriteLine("Question: if every unit of a layer gets the same inputs and the same activation, how do the units end up with different weights?");
        io.Out.WriteLine();
        // The experiments share nothing: as many run at a time as there are cores, taken in the flagship
        // order. Each one's progress and answer are printed in that order: live for the one in front,
        // replayed for one that ran ahead. The same lines as one after the other, the same numbers.
        var pending = Flagship.Select(name => new PendingExperiment(name, quick)).ToArray();
        int taken = -1;
        for (int w = 0; w < Math.Min(Environment.ProcessorCount, pending.Length); w++)
            _ = Task.Factory.StartNew(() =>
            {
                for (int k; (k = Interlocked.Increment(ref taken)) < pending.Length;) pending[k].Run();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var results = new List<ExperimentResult>();
        foreach (var experiment in pending)
        {
            io.Err.WriteLine($"running {experiment.Name} ...");
            foreach (var message in experiment.Progress.GetConsumingEnumerable()) io.Err.WriteLine($"  {message}");
            var result = experiment.Result.Task.GetAwaiter().GetResult(); // what it threw, as when it ran alone
            results.Add(result);
            io.Out.WriteLine($"{result.Title} [{(result.Passed ? $"{result.Claims.Count} claims passed" : $"{result.Claims.Count(c => !c.Passed)} of {result.Claims.Count} claims FAILED")}]");
            foreach (var a in result.Answer) io.Out.WriteLine($"  - {a}");
            io.Out.WriteLine();
        }
        string summary = "Units of a layer end up different because they start different: identical units (in incoming and outgoing weights) get identical gradients at every step and stay identical forever, "
            + "while random starting weights give each unit its own gradient. A network without a hidden layer has no such symmetry: from zeros its weights move apart and its cost falls.";
        io.Out.WriteLine($"In short: {summary}");
        string report = HtmlReport.Write(dir, "demo", "SymmetryLab demo: how do units of a layer end up different?", summary, results);
        io.Out.WriteLine($"Report: {report} (figures also as PNG files beside it); {clock.Elapsed.TotalSeconds:F1} s.");
        return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>A flagship experiment to be run on some thread: its progress messages as they come, then its result or what it threw.</summary>
    private sealed class PendingExperiment(string name, bool quick)
    {
        public string Name => name;
        public BlockingCollection<string> Progress { get; } = [];
        public TaskCompletionSource<ExperimentResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            try
            {
                Result.SetResult(ExperimentCatalog.Find(name)!.Run(new ExperimentOptions(quick, Progress.Add)));
            }
            catch (Exception e)
            {
                Result.SetException(e);
            }
            finally
            {
                Progress.CompleteAdding();
            }
        }
    }
}
