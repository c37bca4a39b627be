using System.CommandLine;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab compare MODEL_A MODEL_B [--data D]</c>: which unit of B is which unit of A, and the loss barrier between them.</summary>
internal static class CompareCommand
{
    /// <summary>Layers wider than this get a one-line summary instead of a row per unit in the terminal.</summary>
    private const int MaxUnitRows = 16;

    /// <summary>Pairs shown before the last one for a wide layer.</summary>
    private const int FirstPairs = 4;

    public static Command Create(CommandIO io)
    {
        var modelA = new Argument<string>("MODEL_A") { Description = "The reference model file" };
        var modelB = new Argument<string>("MODEL_B") { Description = "The model whose units are matched to A's" };
        var data = new Option<string?>("--data") { Description = "Data for activation matching and the loss along the line from A to B" };
        var target = new Option<string?>("--target") { Description = "Target column of a CSV" };
        var method = new Option<string>("--method") { Description = "weights (incoming, bias, outgoing) or activations (correlation on --data)", DefaultValueFactory = _ => "weights" };
        var threshold = new Option<double>("--threshold") { Description = "A unit has no good partner when its distance to it, relative to the larger of their norms, is above this", DefaultValueFactory = _ => UnitAlignment.DefaultThreshold };
        var points = new Option<int>("--points") { Description = "Points on the line from A to B (ends included)", DefaultValueFactory = _ => LossBarrier.DefaultPoints };
        var loss = new Option<string?>("--loss") { Description = "bce, ce or mse (default from the output activation)" };
        var curve = new Option<string?>("--curve") { Description = "Write the loss along the line, before and after alignment, to this CSV" };
        var noFlips = new Option<bool>("--no-flips") { Description = "Match by permutation only; do not negate tanh or sigmoid units" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (SPEC.md) and nothing else" };
        var command = new Command("compare", "Match the units of two models of the same shape, up to permutation (and sign for tanh)")
        {
            modelA, modelB, data, target, method, threshold, points, loss, curve, noFlips, json,
        };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string pathA = p.GetValue(modelA)!, pathB = p.GetValue(modelB)!;
            var m = p.GetValue(method) switch
            {
                "weights" => MatchMethod.Weights,
                "activations" => MatchMethod.Activations,
                var other => throw new UsageException($"--method {other}: expected weights or activations"),
            };
            if (!(p.GetValue(threshold) is var t && t > 0 && double.IsFinite(t))) throw new UsageException($"--threshold {p.GetValue(threshold)}: must be a positive number");
            if (p.GetValue(points) < 3) throw new UsageException($"--points {p.GetValue(points)}: must be at least 3");
            if (p.GetValue(points) > LossBarrier.MaxPoints) throw new UsageException($"--points {p.GetValue(points)}: must be at most {LossBarrier.MaxPoints} (more than a curve can show)");
            string? dataSpec = p.GetValue(data);
            if (dataSpec is null && m == MatchMethod.Activations) throw new UsageException("--method activations needs --data");
            if (dataSpec is null && p.GetValue(curve) is not null) throw new UsageException("--curve needs --data");

            // The two files and the data read side by side, each file's text once (network and precision);
            // errors in the order A, B, their shapes and normalizations, then the data. The data on a
            // thread of its own: on two cores, queued behind the models it was read alone at the end.
            var readA = Task.Run(() => ModelFile.ReadInDouble(pathA));
            var readB = Task.Run(() => ModelFile.ReadInDouble(pathB));
            var readData = dataSpec is null ? null
                : Task.Factory.StartNew(() => DataSource.Load(dataSpec, p.GetValue(target)).Train, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var (a, precisionA) = readA.GetAwaiter().GetResult();
            var (b, precisionB) = readB.GetAwaiter().GetResult();
            UnitAlignment.CheckSameShape(a, b, pathA, pathB);
            // Refused before the units are matched (minutes on wide models).
            if (dataSpec is not null) LossBarrier.CheckSameNormalization(a, b, pathA, pathB);
            Dataset? set = readData?.GetAwaiter().GetResult();
            if (set is not null && set.Features != a.Inputs) throw new DataException($"--data {dataSpec}: {set.Features} features, but the models take {a.Inputs} inputs");
            // The losses in the models' own precision (as predict computes them); float64 if either is.
            string precision = precisionA == "float32" && precisionB == "float32" ? "float32" : "float64";
            var result = ModelComparison.Run(a, b, set, m, p.GetValue(threshold), p.GetValue(points), p.GetValue(loss) is { } ln ? Parse.Loss(ln) : null, !p.GetValue(noFlips), precision);
            if (p.GetValue(curve) is { } file) AtomicFile.WriteAllText(file, result.CurveCsv(), "--curve");
            var baseline = set is null ? null : MajorityBaseline.Of(set);
            if (p.GetValue(json)) PrintJson(io, result, baseline);
            else PrintTables(io, result, pathA, pathB, dataSpec, p.GetValue(curve), baseline);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Unit(int j, int sign) => sign < 0 ? $"-{j + 1}" : $"{j + 1}";

    /// <summary>Whether a layer is too wide for its pairs and unmatched units to be listed in the terminal.</summary>
    private static bool Wide(LayerAlignment l) => l.Permutation.Length > MaxUnitRows;

    /// <summary>A hidden layer's pairs, A unit -> B unit: all of them, or for a wide layer the first few and the last.</summary>
    private static string Map(LayerAlignment l)
    {
        string Pair(int j) => $"{j + 1}->{Unit(l.Permutation[j], l.Sign[j])}";
        int n = l.Permutation.Length;
        return Wide(l)
            ? $"{string.Join(" ", Enumerable.Range(0, FirstPairs).Select(Pair))} ... {Pair(n - 1)}"
            : string.Join(" ", Enumerable.Range(0, n).Select(Pair));
    }

    /// <summary>A hidden layer's units with no good partner: listed (spaced, so a long list wraps between numbers), or for a wide layer their count.</summary>
    private static string Unmatched(LayerAlignment l) =>
        l.Unmatched.Length == 0 ? "none"
        : Wide(l) ? $"{l.Unmatched.Length} of {l.Permutation.Length}"
        : Terminal.Units([.. l.Unmatched.Select(j => j + 1)]);

    private static void PrintTables(CommandIO io, ModelComparison r, string pathA, string pathB, string? data, string? curve, MajorityBaseline? baseline)
    {
        var console = Terminal.For(io);
        var al = r.Alignment;
        io.Out.WriteLine($"A = {pathA}, B = {pathB}; units of B matched to units of A by {(al.Method == MatchMethod.Weights ? $"weight matching ({al.Passes} passes)" : "activation correlation")}");
        io.Out.WriteLine($"distance |A - B| over all parameters: {al.DistanceBefore:G6} before, {al.DistanceAfter:G6} after alignment");
        var table = Terminal.Table("layer", "units", "A unit -> B unit", "distance before", "distance after", "no good partner");
        foreach (var l in al.Layers)
        {
            bool output = l.Layer == al.Layers.Count;
            table.AddCells(l.Layer, l.Permutation.Length, output ? "(output: not permuted)" : Map(l), l.DistanceBefore, l.DistanceAfter, output ? "" : Unmatched(l));
        }
        console.Write(table);
        bool negated = al.Layers.Any(l => l.Sign.Contains(-1));
        io.Out.WriteLine($"({(negated ? "-k: B's unit k negated: -tanh(z) = tanh(-z), 1 - sigmoid(z) = sigmoid(-z), with the outgoing weights negated (and, for sigmoid, added to the next layer's biases) to match. " : "")}"
            + $"A unit has no good partner when its distance to it is above {al.Threshold:G3} of the larger of their parameter norms.{(al.Layers.Any(Wide) ? " A layer of more than " + MaxUnitRows + " units shows its first pairs and how many have no good partner; --json lists them all." : "")})");

        foreach (var l in al.Layers.SkipLast(1).Where(l => l.Permutation.Length <= MaxUnitRows))
        {
            io.Out.WriteLine($"layer {l.Layer}: which unit of B does the job of each unit of A (incoming weights, bias, outgoing weights)");
            var units = Terminal.Table("A unit", "B unit", "distance", "relative", "partner");
            for (int j = 0; j < l.Permutation.Length; j++)
                units.AddCells(j + 1, Unit(l.Permutation[j], l.Sign[j]), l.UnitDistance[j], l.RelativeUnitDistance[j], l.Unmatched.Contains(j) ? "no good partner" : "good");
            console.Write(units);
        }

        if (r.Before is { } before && r.After is { } after)
        {
            io.Out.WriteLine($"on {data} ({r.Loss!.Value.Name()} loss, {before.Points.Count} points on the line from A to B):");
            var path = Terminal.Table("", "loss at A", "loss at B", "highest loss on the line", "barrier", "at t");
            // A zero barrier is reached nowhere in particular (the ends give 0 by definition): no t to name.
            path.AddCells("before alignment", before.Points[0].Loss, before.Points[^1].Loss, before.Points.Max(x => x.Loss), before.Barrier, before.Barrier > 0 ? before.BarrierT : "-");
            path.AddCells("after alignment", after.Points[0].Loss, after.Points[^1].Loss, after.Points.Max(x => x.Loss), after.Barrier, after.Barrier > 0 ? after.BarrierT : "-");
            console.Write(path);
            if (before.Points[0].Accuracy is { } accA && before.Points[^1].Accuracy is { } accB && baseline is { } b)
                io.Out.WriteLine($"accuracy of A {accA:F4}, of B {accB:F4}; baseline (always class {b.Class}) {b.Train:F4}");
            if (r.ActivationPermutations is { } act && al.Method == MatchMethod.Weights)
            {
                int agree = 0, total = 0;
                for (int l = 0; l < act.Count; l++)
                    for (int j = 0; j < act[l].Length; j++) { total++; if (act[l][j] == al.Layers[l].Permutation[j]) agree++; }
                io.Out.WriteLine($"activation matching agrees with weight matching on {agree} of {total} hidden units");
            }
            if (curve is not null) io.Out.WriteLine($"wrote {curve}");
        }
    }

    private static void PrintJson(CommandIO io, ModelComparison r, MajorityBaseline? baseline)
    {
        var al = r.Alignment;
        var layers = al.Layers.Select((layer, l) => new CompareLayerAnswer(layer.Layer, layer.Permutation.Length, [.. layer.Permutation.Select(k => k + 1)],
            [.. Enumerable.Range(0, layer.Sign.Length).Where(j => layer.Sign[j] < 0).Select(j => j + 1)], layer.DistanceBefore, layer.DistanceAfter,
            [.. layer.Unmatched.Select(j => j + 1)], layer.UnitDistance,
            r.ActivationPermutations is { } act && l < act.Count ? [.. act[l].Select(k => k + 1)] : null)).ToList();
        var path = r.Before is { } before && r.After is { } after
            ? before.Points.Select((p, k) => new PathPointAnswer(p.T, p.Loss, p.Accuracy, after.Points[k].Loss, after.Points[k].Accuracy)).ToList()
            : null;
        JsonOut.Write(io.Out,
            new CompareAnswer(al.Method == MatchMethod.Weights ? "weights" : "activations", al.Threshold, al.DistanceBefore, al.DistanceAfter, layers,
                baseline?.Train, r.Before?.Barrier, r.After?.Barrier, r.Loss?.Name(), path),
            CliJsonContext.Default.CompareAnswer);
    }
}
