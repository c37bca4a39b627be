using System.CommandLine;
using System.Globalization;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab inspect MODEL [--data D] [--tolerance X]</c>: per layer, which units are the same unit,
/// how close the nearest two different ones are, and with data which are dead, saturated or correlated.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file" };
        var data = new Option<string?>("--data") { Description = "Data to run the units on (dead, saturated, correlated units)" };
        var target = new Option<string?>("--target") { Description = "Target column of a CSV" };
        var tolerance = new Option<double>("--tolerance") { Description = "Units whose weights and bias differ by at most this are the same unit (default 0: bit-exact)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("inspect", "Show the groups of identical units of each layer") { modelArg, data, target, tolerance, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(modelArg)!;
            double tol = p.GetValue(tolerance);
            if (!(tol >= 0 && double.IsFinite(tol))) throw new UsageException($"--tolerance {tol}: must be a finite number >= 0");
            var network = ModelFile.Load<double>(path); // float32 values are exact in float64, so bit-equality is kept
            Dataset? rows = null;
            if (p.GetValue(data) is { } spec)
            {
                rows = DataSource.Load(spec, p.GetValue(target)).Train;
                if (rows.Features != network.Inputs)
                    throw new DataException($"{spec}: {rows.Features} features, but {path} takes {network.Inputs} inputs");
            }
            var layers = Inspection.Of(network, rows, tol);
            if (p.GetValue(json)) PrintJson(io, layers);
            else PrintTable(io, path, network.Shape, rows, tol, layers);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string NonSingletons(IReadOnlyList<int[]> groups, int units) =>
        units == 1 ? "one unit" : groups.Count == units ? "all different" : string.Join(" ", groups.Where(g => g.Length > 1).Select(Terminal.Group));

    private static void PrintTable(CommandIO io, string path, string shape, Dataset? rows, double tolerance, IReadOnlyList<LayerInspection> layers)
    {
        io.Out.WriteLine($"{path}: network {shape}; units are the same unit when their weights and bias are {(tolerance == 0 ? "bit-identical" : $"within {tolerance:G}")}");
        var console = Terminal.For(io);
        // Two tables of short headers, so neither is squeezed until a header is cut.
        var table = Terminal.Table("layer", "units", "activation", "distinct", "same incoming", "same in and out", "closest distinct pair");
        foreach (var l in layers)
        {
            var g = l.Groups;
            table.AddCells(g.Layer, g.Units, l.Activation, g.Distinct, NonSingletons(g.Groups, g.Units), NonSingletons(g.Interchangeable, g.Units),
                l.Closest is { } c ? $"{c.UnitA},{c.UnitB}: distance {c.Distance:G4}, cosine {(c.Cosine is { } cos ? cos.ToString("F4", CultureInfo.InvariantCulture) : "-")}" : "-");
        }
        console.Write(table);
        io.Out.WriteLine("same incoming: equal incoming weights and bias (distinct counts these groups); same in and out: interchangeable, equal outgoing weights too");
        if (rows is null) return;
        var activity = Terminal.Table("layer", "dead (relu)", "saturated", "most correlated units");
        foreach (var l in layers)
            activity.AddCells(l.Groups.Layer, l.Dead is { Length: > 0 } d ? Terminal.Group(d) : "none", l.Saturated is { Length: > 0 } s ? Terminal.Group(s) : "none",
                l.MostCorrelated is { Count: > 0 } mc ? string.Join(", ", mc.Take(3).Select(q => $"{q.UnitA} and {q.UnitB}: {q.Correlation:F3}")) : "-");
        console.Write(activity);
        io.Out.WriteLine($"on {rows.Name} ({rows.Rows} rows): dead = relu never positive; saturated = sigmoid/tanh beyond {ActivationProfile.SaturationLevel * 100:0}% of its range on at least {ActivationProfile.SaturatedShare * 100:0}% of the rows; correlation of activations over the rows");
    }

    private static void PrintJson(CommandIO io, IReadOnlyList<LayerInspection> layers) => JsonOut.Write(io.Out,
        new InspectAnswer([.. layers.Select(l => new InspectLayerAnswer(l.Groups.Layer, l.Groups.Units, l.Activation, l.Groups.Distinct, l.Groups.Groups, l.Groups.Interchangeable,
            l.Closest is { } c ? new ClosestPairAnswer([c.UnitA, c.UnitB], c.Distance, c.Cosine) : null,
            l.Dead, l.Saturated,
            l.MostCorrelated?.Select(q => new CorrelatedPairAnswer([q.UnitA, q.UnitB], q.Correlation)).ToList(),
            l.MostCorrelated is null ? null : new CorrelationAnswer(l.Correlation)))]),
        CliJsonContext.Default.InspectAnswer);
}
