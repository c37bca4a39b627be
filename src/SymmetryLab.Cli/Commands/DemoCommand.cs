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
        var results = new List<ExperimentResult>();
        foreach (var name in Flagship)
        {
            var experiment = ExperimentCatalog.Find(name)!;
            io.Err.WriteLine($"running {name} ...");
            var result = experiment.Run(new ExperimentOptions(quick, m => io.Err.WriteLine($"  {m}")));
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
}
