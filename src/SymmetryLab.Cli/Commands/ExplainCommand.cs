using System.CommandLine;
using System.Globalization;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab explain MODEL --data D --weight W1[1,1] [--vs W1[2,1]] [--sample K]</c>: dJ/dw factor by
/// factor as the chain rule builds it, against finite differences, and side by side with another weight.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file" };
        var data = new Option<string>("--data") { Description = "Data the cost J is computed on", Required = true };
        var target = new Option<string?>("--target") { Description = "Target column of a CSV" };
        var weight = new Option<string>("--weight") { Description = "The weight or bias: W1[1,1] or W1:1:1, b2[1] or b2:1", Required = true };
        var vs = new Option<string?>("--vs") { Description = "A second weight to compare with, factor by factor" };
        var sample = new Option<int?>("--sample") { Description = "Explain J on this one sample (1-based) instead of the mean over the data" };
        var loss = new Option<string?>("--loss") { Description = "bce, ce or mse (default from the output activation)" };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty X/(2m) sum W^2 in J, as in training (adds (X/m) w to a weight's gradient)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("explain", "Build dJ/dw with the chain rule, factor by factor") { modelArg, data, target, weight, vs, sample, loss, l2, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(modelArg)!;
            var network = ModelFile.Load<double>(path);
            string dataSpec = p.GetValue(data)!;
            var rows = DataSource.Load(dataSpec, p.GetValue(target)).Train;
            double penalty = p.GetValue(l2);
            var chosen = JudgedCost.Choose(network, rows, dataSpec, path, p.GetValue(loss), penalty);
            int? k = p.GetValue(sample);
            if (k is { } kk && (kk < 1 || kk > rows.Rows)) throw new UsageException($"--sample {kk}: {dataSpec} has samples 1 to {rows.Rows}");

            var first = ChainRule.Explain(network, rows, chosen, Weight(p.GetValue(weight)!, "--weight", network), k - 1, penalty);
            var second = p.GetValue(vs) is { } other ? ChainRule.Explain(network, rows, chosen, Weight(other, "--vs", network), k - 1, penalty) : null;
            if (p.GetValue(json)) PrintJson(io, first, second, chosen);
            else PrintText(io, first, second, ChainRule.Differences(first, second), chosen, rows.Name);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static ParameterRef Weight(string text, string flag, Network<double> network)
    {
        if (!ParameterRef.TryParse(text, out var w))
            throw new UsageException($"{flag} {text}: expected a weight like W1[2,1] or W1:2:1 (layer, unit, input; from 1) or a bias like b2[1] or b2:1");
        if (!w.Fits(network, out string? why)) throw new UsageException($"{flag} {text}: {why}");
        return w;
    }

    // -0 (a negative factor times a dead unit's slope 0) is printed as 0: the same number, and "-0.06 * 0 = -0"
    // reads to a learner as a sign the arithmetic does not have. --json keeps the bits.
    private static string N(double v) => (v == 0 ? 0.0 : v).ToString("G10", CultureInfo.InvariantCulture);

    private static void PrintText(CommandIO io, ChainExplanation a, ChainExplanation? b, bool?[] differs, Loss loss, string dataName)
    {
        string on = a.Sample is { } s ? $"sample {s} of {dataName} (J is that sample's {loss.Name()} cost)" : $"{dataName} (J is the mean {loss.Name()} cost over {a.Samples} samples)";
        io.Out.WriteLine($"dJ/d{a.Weight}{(b is null ? "" : $" and dJ/d{b.Weight}")} on {on}");
        var table = b is null ? Terminal.Table("factor", "value") : Terminal.Table($"factor of dJ/d{a.Weight}", "value", $"factor of dJ/d{b.Weight}", "value", "");
        for (int i = 0; i < a.Factors.Count; i++)
        {
            var f = a.Factors[i];
            if (b is null) table.AddCells(f.Name, N(f.Value));
            else
            {
                var g = i < b.Factors.Count ? b.Factors[i] : null;
                table.AddCells(f.Name, N(f.Value), g?.Name, g is null ? null : N(g.Value), differs[i] switch { true => "<- differs", false => "same", null => "" });
            }
        }
        string op = a.Paths is null ? "product of the factors" : "sum of the paths";
        if (b is null)
        {
            table.AddCells($"= {op}", N(a.Product));
            if (a.L2Term != 0) table.AddCells("+ L2 term (l2/m) w", N(a.L2Term));
            table.AddCells("backpropagation (the engine's gradient)", N(a.Gradient));
            table.AddCells($"central finite differences (h = {GradientCheck.Step:G}; {Noise(a.NoiseFloor, "rounding noise")})", N(a.Numeric));
        }
        else
        {
            table.AddCells($"= {op}", N(a.Product), "", N(b.Product), a.Product == b.Product ? "same" : "<- differs");
            if (a.L2Term != 0 || b.L2Term != 0) table.AddCells("+ L2 term (l2/m) w", N(a.L2Term), "", N(b.L2Term), a.L2Term == b.L2Term ? "same" : "<- differs");
            table.AddCells("backpropagation", N(a.Gradient), "", N(b.Gradient), "");
            table.AddCells($"finite differences (h = {GradientCheck.Step:G}; {Noise(a.NoiseFloor, "noise")})", N(a.Numeric), "", N(b.Numeric), "");
        }
        Terminal.For(io).Write(table);
        foreach (var e in b is null ? [a] : new[] { a, b })
            if (e.Paths is not null)
            {
                io.Out.WriteLine($"paths of dJ/d{e.Weight}:");
                foreach (var path in e.Paths)
                    io.Out.WriteLine($"  via {path.Via}: {string.Join(" * ", path.Factors.Select(f => N(f.Value)))} = {N(path.Product)}");
            }
        foreach (var note in a.Notes) io.Out.WriteLine(note);
        if (b is not null)
            foreach (var note in b.Notes.Except(a.Notes)) io.Out.WriteLine($"{b.Weight}: {note}");
        if (b is not null && differs.Any(d => d == true))
        {
            var names = a.Factors.Where((_, i) => differs[i] == true).Select(f => f.Role).Distinct().ToList();
            // A sum over paths differs through what differs inside its paths (same unit above, same role).
            string inside = "";
            if (names.Contains("sum") && a.Paths is { } pa && b.Paths is { } pb && pa.Count == pb.Count)
            {
                var inner = pa.Zip(pb).SelectMany(p => p.First.Factors.Zip(p.Second.Factors)
                    .Where(f => f.First.Role == f.Second.Role && f.First.Value != f.Second.Value).Select(f => f.First.Role)).Distinct().ToList();
                if (inner.Count > 0) inside = $"; inside the paths, only through {string.Join(", ", inner.Select(RoleWords))}";
            }
            io.Out.WriteLine(differs.All(d => d is not null)
                ? $"The two gradients differ only through the factors marked: {string.Join(", ", names.Select(RoleWords))}{inside}."
                : $"The two gradients differ through the factors marked ({string.Join(", ", names.Select(RoleWords))}{inside}); the rows without a mark play different roles and are not compared.");
        }
        else if (b is not null && differs.All(d => d == false))
            io.Out.WriteLine(a.L2Term != b.L2Term
                ? "Every factor is the same, but the gradients are not: they differ through the L2 term (l2/m) w, since the two weights themselves differ."
                : "Every factor is the same, so the two weights get the same gradient here: this step moves them by the same amount.");
    }

    // The noise floor comes from evaluations of J: when J is not finite (an overflowing L2 term, a diverged
    // model) there is no noise to quote, only that fact.
    private static string Noise(double floor, string what) =>
        double.IsFinite(floor) ? $"{what} up to about +-{floor:G2}" : $"{what} not measured: J not finite near w";

    private static string RoleWords(string role) => role switch
    {
        "outgoing" => "the outgoing weight",
        "input" => "the input",
        "slope" => "the slope g'(z) of the unit",
        "upstream" or "upstream-sum" => "the error arriving from above",
        "error" => "the output error",
        "output-slope" => "the slope of the output unit",
        "sum" => "the sum over the paths",
        "mean" => "the averaged sample-dependent part",
        _ => "the averaged sample-dependent part",
    };

    private static void PrintJson(CommandIO io, ChainExplanation a, ChainExplanation? b, Loss loss) =>
        JsonOut.Write(io.Out, ExplainAnswer.Of(a, b) with { Loss = loss.Name() }, CliJsonContext.Default.ExplainAnswer);
}
