using System.CommandLine;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Interop;
using SymmetryLab.Lab;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab audit MODEL|FILE.onnx [--data D] [--tol X] [--merge OUT] [--json]</c>: per layer, the units that
/// are identical, mirror images or dead, the effective width, and with <c>--merge</c> the smaller network
/// that computes the same function.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file (model.json) or an ONNX file (.onnx)" };
        var data = new Option<string?>("--data") { Description = "Rows to run the units on (dead and saturated units on the data): a CSV of inputs, with or without a target column, or a built-in set; without it, what the weights alone show" };
        var target = new Option<string?>("--target") { Description = "The target column of --data (header name or 1-based index; default: the last column, when there is one more column than inputs)" };
        var tol = new Option<double>("--tol") { Description = "Relative tolerance: units whose weights and bias differ by at most X times their size are identical (default 0: exactly)" };
        var merge = new Option<string?>("--merge") { Description = "Write the smaller network that computes the same function (a model file; ONNX when the name ends in .onnx)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("audit", "Find identical, mirror and dead units of any trained network, and merge them away") { modelArg, data, target, tol, merge, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(modelArg)!;
            double tolerance = p.GetValue(tol);
            if (!(tolerance >= 0 && double.IsFinite(tolerance))) throw new UsageException($"--tol {tolerance}: must be a finite number >= 0");
            string? mergePath = p.GetValue(merge) is { } m ? OutputFile.Check(m, "--merge") : null;
            var model = SavedModel.Load(path);
            // The rows as predict reads them: the model's inputs alone, or with a target column beside them.
            string? recorded = model.Meta.FirstOrDefault(m => m.Key == "target").Value;
            Dataset? rows = p.GetValue(data) is { } spec ? PredictCommand.LoadRows(spec, p.GetValue(target), recorded, model.Network.Inputs).Data : null;
            var result = UnitAudit.Run(model.Network, model.Precision, rows, tolerance);
            if (mergePath is not null) model.With(result.Merged).Save(mergePath);
            if (p.GetValue(json)) PrintJson(io, result, mergePath);
            else PrintTable(io, path, model, rows, result, mergePath);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Groups(IReadOnlyList<int[]> groups) => groups.Count == 0 ? "-" : string.Join(" ", groups.Select(Terminal.Group));

    private static void PrintTable(CommandIO io, string path, SavedModel model, Dataset? rows, AuditResult result, string? mergePath)
    {
        io.Out.WriteLine($"{path}: network {model.Network.Shape} ({model.Precision}); units are identical when their incoming weights and bias are " +
            (result.Tolerance == 0 ? "equal" : $"within {result.Tolerance:G} times their size") +
            (rows is null ? "; no data: dead means constant for any input" : $"; dead and saturated on {rows.Name} ({rows.Rows} rows)"));
        foreach (var l in result.Layers) io.Out.WriteLine(l.Summary);
        var table = Terminal.Table("layer", "units", "activation", "effective", "identical", "interchangeable", "mirrors", "dead", "saturated");
        foreach (var l in result.Layers)
            table.AddCells(l.Layer, l.Units, l.Activation, l.IsOutput ? "outputs" : l.Effective, Groups(l.Identical), Groups(l.Interchangeable),
                Groups(l.Mirrors), l.Dead.Length == 0 ? "-" : Terminal.Units(l.Dead), l.Saturated is null ? "(needs --data)" : l.Saturated.Length == 0 ? "-" : Terminal.Units(l.Saturated));
        Terminal.For(io).Write(table);
        io.Out.WriteLine("identical: same incoming weights and bias; interchangeable: also the same outgoing weights; mirrors (tanh, linear): negated incoming weights and bias; " +
            $"saturated: sigmoid/tanh beyond {ActivationProfile.SaturationLevel * 100:0}% of its range on at least {ActivationProfile.SaturatedShare * 100:0}% of the rows");
        if (mergePath is not null)
            io.Out.WriteLine($"merged: network {result.Merged.Shape} written to {mergePath}; largest output difference from {path} on {result.CheckedOn}: {result.MaxOutputDifference:G3} " +
                (result.Tolerance > 0 ? "(units within --tol were merged as if equal)"
                    : $"({model.Precision} rounds at {Math.ScaleB(1, model.Precision == "float32" ? -24 : -53):G2} relative: " +
                      (result.SameForAnyInput
                        ? "the merged network computes the same function, its sums rounded in another order)"
                        : "on these rows the merged network computes the same outputs, its sums rounded in another order; its dead units were found dead on these rows and may be active on other inputs)")));
    }

    private static void PrintJson(CommandIO io, AuditResult result, string? mergePath) => JsonOut.Write(io.Out,
        new AuditAnswer(result.Tolerance,
            [.. result.Layers.Select(l => new AuditLayerAnswer(l.Layer, l.Units, l.Activation, l.IsOutput, l.Effective, l.Identical, l.Interchangeable, l.Mirrors, l.Dead, l.Saturated, l.Summary))],
            mergePath is null ? null : new MergedAnswer(mergePath, result.MergedUnits, result.MaxOutputDifference, result.CheckedOn)),
        CliJsonContext.Default.AuditAnswer);
}
