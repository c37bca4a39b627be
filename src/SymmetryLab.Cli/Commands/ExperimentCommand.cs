using System.CommandLine;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab experiment list</c> and <c>symlab experiment run NAME</c>: the lessons' questions answered on real runs.</summary>
internal static class ExperimentCommand
{
    public static Command Create(CommandIO io)
    {
        var listJson = new Option<bool>("--json") { Description = "Print one JSON object" };
        var list = new Command("list", "The experiments, one per question") { listJson };
        list.SetAction(p => SymlabCli.Guard(io, () => List(io, p.GetValue(listJson))));

        var name = new Argument<string>("NAME") { Description = "An experiment from 'symlab experiment list'" };
        var output = new Option<string>("--out") { Description = "Folder for the report", DefaultValueFactory = _ => Path.Combine("runs", "experiments") };
        var quick = new Option<bool>("--quick") { Description = "Reduced size that keeps the claims meaningful (used by the tests)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var run = new Command("run", "Run one experiment, check its claims, write its report") { name, output, quick, json };
        run.SetAction(p => SymlabCli.Guard(io, () =>
        {
            var experiment = ExperimentCatalog.Find(p.GetValue(name)!)
                ?? throw new UsageException($"experiment '{p.GetValue(name)}' does not exist (known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))})");
            bool asJson = p.GetValue(json);
            OutputPath.Folder(p.GetValue(output)!, "--out"); // before the runs: a file or a pipe there is refused now, not minutes later
            var result = experiment.Run(new ExperimentOptions(p.GetValue(quick), asJson ? null : m => io.Err.WriteLine($"  {m}")));
            string dir = p.GetValue(output)!;
            string report = HtmlReport.Write(dir, experiment.Name, experiment.Title, null, [result]);
            if (asJson) PrintJson(io, result, report, dir);
            else Print(io, result, report, dir);
            return result.Passed ? ExitCodes.Success : ExitCodes.Failure;
        }));

        return new Command("experiment", "The lessons' questions as experiments with checked claims") { list, run };
    }

    private static int List(CommandIO io, bool json)
    {
        if (json)
        {
            JsonOut.Write(io.Out,
                new ExperimentListAnswer([.. ExperimentCatalog.All.Select(e => new ExperimentEntryAnswer(e.Name, e.Title, e.Question, e.Lesson))]),
                CliJsonContext.Default.ExperimentListAnswer);
            return ExitCodes.Success;
        }
        var table = Terminal.Table("name", "lesson", "question");
        foreach (var e in ExperimentCatalog.All) table.AddCells(e.Name, e.Lesson, e.Question);
        Terminal.For(io).Write(table);
        return ExitCodes.Success;
    }

    internal static void Print(CommandIO io, ExperimentResult r, string? report, string dir)
    {
        io.Out.WriteLine(r.Title);
        io.Out.WriteLine($"Question: {r.Question}");
        io.Out.WriteLine($"Setup: {r.Setup}");
        var console = Terminal.For(io);
        foreach (var t in r.Tables)
        {
            var table = Terminal.Table(t.Columns);
            foreach (var row in t.Rows) table.AddCells(row);
            table.Title = new Spectre.Console.TableTitle(Spectre.Console.Markup.Escape(t.Title));
            console.Write(table);
        }
        io.Out.WriteLine("Answer:");
        foreach (var a in r.Answer) io.Out.WriteLine($"- {a}");
        io.Out.WriteLine("Claims:");
        foreach (var c in r.Claims) io.Out.WriteLine($"  [{(c.Passed ? "passed" : "FAILED")}] {c.Text} ({c.Observed})");
        io.Out.WriteLine("Redo each setup by hand (its replay/model.json equals the setup's model.json byte for byte):");
        foreach (var p in r.Replays) io.Out.WriteLine($"  {p.Label}: {p.Command(HtmlReport.SetupDir(dir, r, p))}");
        if (report is not null) io.Out.WriteLine($"Report: {report}");
    }

    internal static void PrintJson(CommandIO io, ExperimentResult r, string? report, string dir) => JsonOut.Write(io.Out,
        new ExperimentRunAnswer(r.Name, r.Passed, [.. r.Claims.Select(c => new ClaimAnswer(c.Text, c.Passed, c.Observed))], r.Answer,
            [.. r.Replays.Select(p =>
            {
                string setup = HtmlReport.SetupDir(dir, r, p);
                return new SetupAnswer(p.Label, p.Command(setup), [.. p.CommandArgs(setup)], Path.Combine(setup, "initial.json"), Path.Combine(setup, "model.json"));
            })],
            report),
        CliJsonContext.Default.ExperimentRunAnswer);
}
