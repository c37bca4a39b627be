using System.CommandLine;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Interop;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

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
        var data = new Option<string?>("--data") { Description = "Data to run the units on (dead and saturated units on the data); without it, what the weights alone show" };
        var target = new Option<string?>("--target") { Description = "Target column of a CSV (header name or 1-based index; default: the last column)" };
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
            Dataset? rows = null;
            if (p.GetValue(data) is { } spec)
            {
                rows = DataSource.Load(spec, p.GetValue(target)).Train;
                if (rows.Features != model.Network.Inputs)
                    throw new DataException($"{spec}: {rows.Features} features, but {path} takes {model.Network.Inputs} inputs (name the target column with --target)");
            }
            var result = UnitAudit.Run(model.Network, model.Precision, rows, tolerance);
            if (mergePath is not null) model.With(result.Merged).Save(mergePath);
            if (p.GetValue(json)) PrintJson(io, result, mergePath);
            else PrintTable(io, path, model, rows, result, mergePath);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Units(IEnumerable<int> units) => string.Join(",", units);

    private static string Groups(IReadOnlyList<int[]> groups) => groups.Count == 0 ? "-" : string.Join(" ", groups.Select(g => "{" + Units(g) + "}"));

    private static void PrintTable(CommandIO io, string path, SavedModel model, Dataset? rows, AuditResult result, string? mergePath)
    {
        io.Out.WriteLine($"{path}: network {model.Network.Shape} ({model.Precision}); units are identical when their incoming weights and bias are " +
            (result.Tolerance == 0 ? "equal" : $"within {result.Tolerance:G} of their size") +
            (rows is null ? "; no data: dead means constant for any input" : $"; dead and saturated on {rows.Name} ({rows.Rows} rows)"));
        foreach (var l in result.Layers) io.Out.WriteLine(l.Summary);
        var table = Terminal.Table("layer", "units", "activation", "effective", "identical", "interchangeable", "mirrors", "dead", "saturated");
        foreach (var l in result.Layers)
            table.AddCells(l.Layer, l.Units, l.Activation, l.IsOutput ? "outputs" : l.Effective, Groups(l.Identical), Groups(l.Interchangeable),
                Groups(l.Mirrors), l.Dead.Length == 0 ? "-" : Units(l.Dead), l.Saturated is null ? "(needs --data)" : l.Saturated.Length == 0 ? "-" : Units(l.Saturated));
        Terminal.For(io).Write(table);
        io.Out.WriteLine("identical: same incoming weights and bias; interchangeable: also the same outgoing weights; mirrors (tanh, linear): negated incoming weights and bias; " +
            $"saturated: sigmoid/tanh beyond {ActivationProfile.SaturationLevel * 100:0}% of its range on at least {ActivationProfile.SaturatedShare * 100:0}% of the rows");
        if (mergePath is not null)
            io.Out.WriteLine($"merged: network {result.Merged.Shape} written to {mergePath}; largest output difference from {path} on {result.CheckedOn}: {result.MaxOutputDifference:G3} " +
                (result.Tolerance > 0 ? "(units within --tol were merged as if equal)"
                    : $"({model.Precision} rounds at {Math.ScaleB(1, model.Precision == "float32" ? -24 : -53):G2} relative: the merged network computes the same function, its sums rounded in another order)"));
    }

    private static void PrintJson(CommandIO io, AuditResult result, string? mergePath) => JsonOut.Write(io.Out, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("tolerance", result.Tolerance);
        w.WriteStartArray("layers");
        foreach (var l in result.Layers)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", l.Layer);
            w.WriteNumber("units", l.Units);
            w.WriteString("activation", l.Activation);
            w.WriteBoolean("output", l.IsOutput);
            w.WriteNumber("effective", l.Effective);
            RunFolder.WriteGroups(w, "identical", l.Identical);
            RunFolder.WriteGroups(w, "interchangeable", l.Interchangeable);
            RunFolder.WriteGroups(w, "mirrors", l.Mirrors);
            WriteUnits(w, "dead", l.Dead);
            if (l.Saturated is null) w.WriteNull("saturated"); else WriteUnits(w, "saturated", l.Saturated);
            w.WriteString("summary", l.Summary);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (mergePath is null) w.WriteNull("merged");
        else
        {
            w.WriteStartObject("merged");
            w.WriteString("out", mergePath);
            WriteUnits(w, "units", result.MergedUnits);
            w.WriteNumber("maxOutputDifference", result.MaxOutputDifference);
            w.WriteString("checkedOn", result.CheckedOn);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    private static void WriteUnits(Utf8JsonWriter w, string name, IEnumerable<int> units)
    {
        w.WriteStartArray(name);
        foreach (var u in units) w.WriteNumberValue(u);
        w.WriteEndArray();
    }
}
