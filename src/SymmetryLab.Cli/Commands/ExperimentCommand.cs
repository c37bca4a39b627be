using System.CommandLine;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;

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
            JsonOut.Write(io.Out, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("experiments");
                foreach (var e in ExperimentCatalog.All)
                {
                    w.WriteStartObject();
                    w.WriteString("name", e.Name);
                    w.WriteString("title", e.Title);
                    w.WriteString("question", e.Question);
                    w.WriteString("lesson", e.Lesson);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
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

    internal static void PrintJson(CommandIO io, ExperimentResult r, string? report, string dir) => JsonOut.Write(io.Out, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", r.Name);
        w.WriteBoolean("passed", r.Passed);
        w.WriteStartArray("claims");
        foreach (var c in r.Claims)
        {
            w.WriteStartObject();
            w.WriteString("claim", c.Text);
            w.WriteBoolean("passed", c.Passed);
            w.WriteString("observed", c.Observed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("answer");
        foreach (var a in r.Answer) w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteStartArray("setups");
        foreach (var p in r.Replays)
        {
            string setup = HtmlReport.SetupDir(dir, r, p);
            w.WriteStartObject();
            w.WriteString("setup", p.Label);
            w.WriteString("command", p.Command(setup));
            w.WriteStartArray("args");
            foreach (var a in p.CommandArgs(setup)) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteString("initial", Path.Combine(setup, "initial.json"));
            w.WriteString("model", Path.Combine(setup, "model.json"));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (report is null) w.WriteNull("report"); else w.WriteString("report", report);
        w.WriteEndObject();
    });
}
