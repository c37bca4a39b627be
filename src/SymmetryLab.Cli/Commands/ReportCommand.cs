using System.CommandLine;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Reports;
using SymmetryLab.Runs;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab report RUN_DIR [--out FILE.html]</c>: the report of any run folder, one HTML file with its PNGs beside it.</summary>
internal static class ReportCommand
{
    public static Command Create(CommandIO io)
    {
        var dir = new Argument<string>("RUN_DIR") { Description = "A folder written by 'symlab train --out'" };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default RUN_DIR/report.html); figures go beside it as PNG files" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the report's path" };
        var command = new Command("report", "Draw a run's report: loss and accuracy beside the baseline, distinct units, similarity, trajectories, decision regions or weight images") { dir, output, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string run = p.GetValue(dir)!;
            string path = Write(run, p.GetValue(output), "--out");
            if (p.GetValue(json)) JsonOut.Write(io.Out, new ReportAnswer(path), CliJsonContext.Default.ReportAnswer);
            else io.Out.WriteLine($"Report: {path} (figures also as PNG files beside it)");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Builds the report of <paramref name="run"/> and writes it to <paramref name="html"/> (default RUN_DIR/report.html); returns its path.</summary>
    public static string Write(string run, string? html, string flag)
    {
        if (!Directory.Exists(run)) throw new UsageException($"{run}: no such folder (a run folder is what 'symlab train --out DIR' writes)");
        html ??= Path.Combine(run, "report.html");
        if (Directory.Exists(html) || !html.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{flag} {html}: name the .html file to write");
        var result = RunReport.Build(run);
        string folder = Path.GetDirectoryName(Path.GetFullPath(html))!;
        return HtmlReport.Write(folder, Path.GetFileNameWithoutExtension(html), result.Title, null, [result]);
    }
}
