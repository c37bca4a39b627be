using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Runs.Documents;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// The report of any finished run folder (what <c>symlab report</c> and <c>train --report</c> draw): the
/// final model's figures beside the majority-class baseline, loss and accuracy per epoch, distinct units
/// per layer with the step each split, unit similarity at the start and the end, the recorded
/// trajectories, and, as the data allows, the decision regions and every hidden unit's output over the
/// input plane (2 features) or the first layer's weights as images (image data). Every number is read
/// from the folder's files or measured again on its model and data.
/// </summary>
internal static class RunReport
{
    /// <summary>Layers wider than this get no similarity heat map or unit maps (the pictures would be unreadable).</summary>
    public const int MaxDrawnUnits = 64;

    /// <summary>Reads <paramref name="dir"/> (a folder <c>symlab train --out</c> wrote) and builds its report.</summary>
    public static ExperimentResult Build(string dir)
    {
        string In(string name) => Path.Combine(dir, name);
        if (!File.Exists(In("model.json")))
            throw new DataException($"{dir}: no model.json (not a run folder, or its run did not finish)");
        foreach (var name in new[] { "initial.json", "run.json", "history.csv", "symmetry.json" })
            if (!File.Exists(In(name))) throw new DataException($"{dir}: no {name}; a run folder holds initial.json, model.json, history.csv, symmetry.json and run.json");

        var run = Read(In("run.json"), RunJsonContext.Default.RunDocument, "run.json");
        var sym = Read(In("symmetry.json"), RunJsonContext.Default.SymmetryDocument, "symmetry.json");
        var settings = new RunSettings
        {
            Data = run.Data,
            Target = run.Target,
            Test = run.Test,
            Seed = run.Seed,
            // --test FRACTION held out rows drawn from --split-seed: the same rows, or the figures are another split's.
            // Folders from before --split-seed have none and were split with the fixed default.
            SplitSeed = run.SplitSeed ?? RunSettings.DefaultSplitSeed,
        };
        var (train, test) = DataSource.Load(settings.Data, settings.Target);
        (train, test) = TrainingRun.SplitTest(settings, train, test);
        var initial = ModelFile.Load<double>(In("initial.json"));
        var final = ModelFile.Load<double>(In("model.json"));
        if (final.Inputs != train.Features)
            throw new DataException($"{dir}: the model takes {final.Inputs} inputs but {train.Name} has {train.Features} features");
        var loss = LossNames.TryParse(run.Loss, out var l) ? l : throw new DataException($"{In("run.json")}: field loss is not bce, ce or mse");
        double l2 = run.L2;
        var history = History.Read(In("history.csv"), final.Layers.Count);

        // The final model's figures, measured again in its own precision, as train and predict compute them.
        var (finalLoss, finalAccuracy, testLoss, testAccuracy) = ModelFile.ReadPrecision(In("model.json")) == "float32"
            ? Measure(ModelFile.Load<float>(In("model.json")), train, test, loss, l2)
            : Measure(final, train, test, loss, l2);
        var baseline = MajorityBaseline.Of(train, test);
        var mean = MeanBaseline.Of(train, test, loss);

        var result = new ExperimentResult
        {
            Name = "run",
            Title = $"Run {Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar))}: network {final.Shape} on {train.Name}",
            Question = "",
            Setup = Describe(run, train, test, final),
        };
        result.Answer.Add($"Diagnosis: {sym.Diagnosis}. {sym.Explanation}");
        string Mean(double? mse) => mean is not null && mse is { } v ? $" (always answering the training targets' mean, {mean.Mean:G6}: {v:G6})" : "";
        result.Answer.Add($"The final model on the training data: cost {finalLoss:G6}{Mean(mean?.Train)}{(finalAccuracy is { } a ? $", accuracy {P(a)}" : "")}{(baseline is { } b ? $" (always answering class {b.Class}: {P(b.Train)})" : "")}"
            + (testLoss is { } tl ? $"; on the test data: cost {tl:G6}{Mean(mean?.Test)}{(testAccuracy is { } ta ? $", accuracy {P(ta)}" : "")}{(baseline?.Test is { } bt ? $" (always answering class {baseline.TestClass}: {P(bt)})" : "")}" : "") + ".");

        var layers = sym.Layers;
        var units = new ResultTable("Units per layer", ["layer", "units", "distinct at the start (initial.json)", "first split", "distinct at the end", "what happened"], []);
        foreach (var layer in layers)
            units.Rows.Add([layer.Layer.ToString(CultureInfo.InvariantCulture), layer.Units.ToString(CultureInfo.InvariantCulture),
                layer.DistinctAtStart.ToString(CultureInfo.InvariantCulture), layer.BrokeAtStep is { } step ? $"step {step}" : "-",
                layer.Distinct.ToString(CultureInfo.InvariantCulture), layer.Symmetry]);
        result.Tables.Add(units);
        var figures = new ResultTable("The final model", ["", mean is null ? "cost" : "cost (baseline)", "accuracy (baseline)"], []);
        figures.Rows.Add(["training data", Cost(finalLoss, mean?.Train), Acc(finalAccuracy, baseline?.Train)]);
        if (testLoss is { } tcost) figures.Rows.Add(["test data", Cost(tcost, mean?.Test), Acc(testAccuracy, baseline?.Test)]);
        result.Tables.Add(figures);

        if (history.Epochs.Length > 0) AddCurves(result, history, baseline, mean, loss);
        AddDistinct(result, history, layers);
        AddSimilarity(result, initial, final);
        if (File.Exists(In(TrajectoryRecorder<double>.FileName))) AddTrajectories(result, In(TrajectoryRecorder<double>.FileName), final);
        if (train.Features == 2) AddPlane(result, final, train);
        if (train.Image is { } image) AddTiles(result, final, image);
        return result;
    }

    private static string P(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
    private static string Acc(double? a, double? b) => a is { } x ? b is { } y ? $"{P(x)} (baseline {P(y)})" : P(x) : "-";
    private static string Cost(double c, double? b) => c.ToString("G6", CultureInfo.InvariantCulture) + (b is { } y ? $" (baseline {y.ToString("G6", CultureInfo.InvariantCulture)})" : "");

    private static (double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy) Measure<T>(Network<T> network, Dataset train, Dataset? test, Loss loss, double l2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pool = Numerics.WorkerPool.ForThreads(Environment.ProcessorCount);
        var (cost, accuracy) = new Evaluator<T>(network, train, loss, pool).Evaluate();
        if (l2 > 0) cost += network.L2Penalty(l2, train.Rows);
        if (test is null) return (cost, accuracy, null, null);
        var (testCost, testAccuracy) = new Evaluator<T>(network, test, loss, pool).Evaluate();
        return (cost, accuracy, testCost, testAccuracy);
    }

    private static string Describe(RunDocument run, Dataset train, Dataset? test, Network<double> final)
    {
        static string N(double v) => v.ToString(CultureInfo.InvariantCulture); // as run.json writes it: the shortest text that reads back
        string activations = string.Join(", ", final.Layers.Select(l => l.Activation.Name()));
        string testText = test is null ? "no test set" : $"{test.Rows} test rows";
        return $"network {final.Shape} ({activations}), {run.Precision}; data {run.Data}: {train.Rows} training rows, {testText}; loss {run.Loss}; {run.Optimizer} lr {N(run.LearningRate)}, batch {run.Batch}, "
            + $"{run.Epochs} epochs ({run.Steps} steps); init {run.Init}; seed {run.Seed} ({run.Rng}); l2 {N(run.L2)}, dropout {N(run.Dropout)}, normalize {run.Normalize}.";
    }

    private static void AddCurves(ExperimentResult result, History h, MajorityBaseline? baseline, MeanBaseline? mean, Loss loss)
    {
        var x = h.Epochs.Select(e => (double)e).ToArray();
        var costs = new List<Series> { new("training (mean of the epoch's batches)", x, h.Loss) };
        if (h.TestLoss is { } tl) costs.Add(new Series("test (the model at the end of the epoch)", x, tl));
        // A regression's cost beside the constant's: always answering the training targets' mean.
        var floors = new List<Guide>();
        if (mean is not null) floors.Add(new Guide("baseline, training: always the training mean", mean.Train));
        if (mean?.Test is { } mt) floors.Add(new Guide("baseline, test: always the training mean", mt));
        result.Figures.Add(new LineFigure("loss", "Cost per epoch", $"Training: the mean of each epoch's batch costs, taken while the weights moved{(h.TestLoss is null ? "" : "; test: the cost of the model at the end of each epoch")}"
            + $"{(mean is null ? "" : "; beside the baseline: the mse of always answering the mean of the training targets, which a regression must beat to have learned anything")}.", "epoch", $"cost ({loss.Name()})", costs)
        { Guides = floors });
        if (h.Accuracy is null) return;
        var acc = new List<Series> { new("training (mean of the epoch's batches)", x, h.Accuracy) };
        if (h.TestAccuracy is { } ta) acc.Add(new Series("test (the model at the end of the epoch)", x, ta));
        var guides = new List<Guide>();
        if (baseline is not null) guides.Add(new Guide($"baseline, training: always class {baseline.Class}", baseline.Train));
        if (baseline?.Test is { } bt) guides.Add(new Guide($"baseline, test: always class {baseline.TestClass}", bt));
        result.Figures.Add(new LineFigure("accuracy", "Accuracy per epoch", "Beside the baseline: the accuracy of always answering the most common class, which a classifier must beat to have learned anything.", "epoch", "accuracy", acc) { Guides = guides });
    }

    private static void AddDistinct(ExperimentResult result, History h, IReadOnlyList<SymmetryLayerDocument> layers)
    {
        var series = new List<Series>();
        var drawn = new List<int>();
        var guides = new List<Guide>();
        foreach (var layer in layers)
        {
            int l = layer.Layer;
            if (layer.Units < 2) continue;
            // Step 0 is initial.json; then each epoch's end.
            var x = h.Steps.Select(s => (double)s).Prepend(0).ToArray();
            var y = h.Distinct[l - 1].Select(d => (double)d).Prepend(layer.DistinctAtStart).ToArray();
            series.Add(new Series($"layer {l}", x, y));
            drawn.Add(l);
            if (layer.BrokeAtStep is { } step)
                guides.Add(new Guide($"layer {l} first split at step {step}", step, Vertical: true));
        }
        if (series.Count == 0) return;
        // Layers with the same count at every step draw one line over another: say so, or one of them seems missing.
        var coinciding = drawn.Select((l, i) => (Layer: l, Counts: string.Join(",", series[i].Y))).GroupBy(d => d.Counts).Where(g => g.Count() > 1)
            .Select(g => g.Select(d => d.Layer).ToList())
            .Select(ls => $"layers {string.Join(", ", ls[..^1])} and {ls[^1]} have the same counts at every step: their lines are drawn one inside the other").ToList();
        string caption = "Step 0 is initial.json, then the end of every epoch"
            + (guides.Count > 0 ? "; a dotted line marks the step at which a layer's identical units first split" : "")
            + string.Concat(coinciding.Select(c => "; " + c)) + ".";
        result.Figures.Add(new LineFigure("distinct-units", "Distinct units per layer", caption, "step", "distinct units", series) { Guides = guides, MayCoincide = true });
    }

    private static void AddSimilarity(ExperimentResult result, Network<double> initial, Network<double> final)
    {
        for (int l = 1; l < final.Layers.Count; l++)
        {
            int n = final.Layers[l - 1].Units;
            if (n < 2 || n > MaxDrawnUnits) continue;
            var (startMin, startMax) = Figures.OffDiagonal(initial, l);
            var (endMin, endMax) = Figures.OffDiagonal(final, l);
            result.Figures.Add(new HeatmapFigure($"similarity-layer{l}", $"Cosine similarity between the units of layer {l}",
                $"Each unit's incoming weights and bias against every other's, on one fixed scale from -1 to 1 (a unit with itself is 1). Between different units: {startMin:G3} to {startMax:G3} at the start, {endMin:G3} to {endMax:G3} at the end; 1 means the same direction, and identical units are 1.",
                [($"layer {l}, start (initial.json)", Figures.UnitSimilarity(initial, l)), ($"layer {l}, end (model.json)", Figures.UnitSimilarity(final, l))], "cosine"));
        }
    }

    /// <summary>Layer 1's weights from input 1, one line per unit (at most 30), from trajectory.csv.</summary>
    private static void AddTrajectories(ExperimentResult result, string file, Network<double> final)
    {
        int shown = Math.Min(30, final.Layers[0].Units);
        var names = Enumerable.Range(1, shown).ToDictionary(j => $"\"{new ParameterRef(1, j, 1)}\"", j => j);
        var steps = Enumerable.Range(1, shown).ToDictionary(j => j, _ => new List<double>());
        var values = Enumerable.Range(1, shown).ToDictionary(j => j, _ => new List<double>());
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            // step,"W1[j,i]",value,gradient: the name holds a comma inside its quotes.
            int open = line.IndexOf('"'), close = open < 0 ? -1 : line.IndexOf('"', open + 1);
            if (close < 0 || !names.TryGetValue(line[open..(close + 1)], out int unit)) continue;
            var rest = line[(close + 2)..].Split(',');
            steps[unit].Add(double.Parse(line[..(open - 1)], CultureInfo.InvariantCulture));
            values[unit].Add(double.Parse(rest[0], CultureInfo.InvariantCulture));
        }
        var series = Enumerable.Range(1, shown).Where(j => steps[j].Count > 0).Select(j => new Series($"W1[j,1]: unit {j}", steps[j].ToArray(), values[j].ToArray())).ToList();
        if (series.Count == 0) return;
        result.Figures.Add(new LineFigure("trajectories", "Layer 1 weights from input 1 during training", $"From trajectory.csv: W1[j,1] for {(shown < final.Layers[0].Units ? $"the first {shown} of {final.Layers[0].Units}" : $"all {shown}")} units; identical units lie on one line.", "step", "W1[j,1]", series));
    }

    private static void AddPlane(ExperimentResult result, Network<double> final, Dataset train)
    {
        // The axes are the raw inputs either way; the normalization is named only when the model has one.
        string axes = final.Normalization is null ? "raw inputs" : "raw inputs; the model's normalization applies";
        if (final.Output.Activation is Activation.Sigmoid or Activation.Softmax && train.Kind != TargetKind.Continuous)
            result.Figures.Add(new BoundaryFigure("decision-boundary", "Decision regions of the final model", final.Outputs == 1
                ? $"P(class 1) over the input plane ({axes}), the training points over it."
                : $"The predicted class over the input plane ({axes}), the training points over it.", [Figures.Boundary("final model", final, train)]));
        var panels = new List<UnitMapsPanel>();
        for (int l = 1; l < final.Layers.Count; l++)
            if (final.Layers[l - 1].Units <= MaxDrawnUnits) panels.Add(Figures.UnitMaps($"layer {l}", final, train, l));
        bool outputs = final.Output.Activation is not (Activation.Sigmoid or Activation.Softmax) && final.Outputs <= MaxDrawnUnits;
        if (outputs) panels.Add(Figures.UnitMaps("output layer", final, train, final.Layers.Count));
        if (panels.Count > 0)
            result.Figures.Add(new UnitMapsFigure("unit-maps", outputs ? "Every hidden and output unit's output over the input plane" : "Every hidden unit's output over the input plane",
                $"One small map per unit, each spanning {panels[0].XLabel} from {panels[0].XMin:G4} to {panels[0].XMax:G4} (across) and {panels[0].YLabel} from {panels[0].YMin:G4} to {panels[0].YMax:G4} (up), the range of the training points widened by 5% on each side; all units of a layer share one colour scale, the range of the activation (or of its outputs there, when unbounded).", panels));
    }

    private static void AddTiles(ExperimentResult result, Network<double> final, ImageShape image)
    {
        var layer = final.Layers[0];
        if (layer.Inputs != image.Width * image.Height) return;
        int shown = Math.Min(MaxDrawnUnits, layer.Units);
        result.Figures.Add(new TilesFigure("weights", "Layer 1 weights as images", $"Each unit's {image.Height} x {image.Width} incoming weights as a picture ({(shown < layer.Units ? $"the first {shown} of {layer.Units} units" : $"all {shown} units")}), each tile scaled to its own largest |weight|.",
            Figures.WeightTiles(final, shown), image.Width, image.Height, Math.Min(8, shown)));
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}: not valid JSON (line {e.LineNumber + 1})");
        }
    }

    /// <summary>A file of the run folder as its record; a field missing or of the wrong kind is an error naming the file and the field.</summary>
    private static TDocument Read<TDocument>(string path, JsonTypeInfo<TDocument> record, string name)
    {
        using var doc = ParseJson(path);
        try
        {
            return doc.RootElement.Deserialize(record) ?? throw new JsonException("null instead of an object");
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}: not a {name} of a run ({e.Message})");
        }
    }

    /// <summary>history.csv as columns: per epoch its step, mean loss and accuracy, test figures, and the distinct units of each layer.</summary>
    private sealed record History(int[] Epochs, long[] Steps, double[] Loss, double[]? Accuracy, double[]? TestLoss, double[]? TestAccuracy, int[][] Distinct)
    {
        public static History Read(string path, int layers)
        {
            var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
            if (lines.Length == 0) throw new DataException($"{path}: empty (a run folder's history.csv has a header)");
            var header = lines[0].Split(',');
            int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new DataException($"{path}: line 1: no column {name}");
            var rows = lines.Skip(1).Select((l, i) => (Cells: l.Split(','), Line: i + 2)).ToList();
            double? Number((string[] Cells, int Line) row, int column)
            {
                string cell = row.Cells.Length > column ? row.Cells[column] : throw new DataException($"{path}:{row.Line}: {row.Cells.Length} cells, expected {header.Length}");
                if (cell.Length == 0) return null;
                return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new DataException($"{path}:{row.Line}: '{cell}' is not a number");
            }
            double[]? Optional(string name)
            {
                int c = Column(name);
                var values = rows.Select(r => Number(r, c)).ToArray();
                return values.Length > 0 && values.All(v => v is not null) ? values.Select(v => v!.Value).ToArray() : null;
            }
            int e = Column("epoch"), s = Column("step"), lc = Column("loss");
            return new History(
                rows.Select(r => (int)Number(r, e)!.Value).ToArray(), rows.Select(r => (long)Number(r, s)!.Value).ToArray(), rows.Select(r => Number(r, lc) ?? double.NaN).ToArray(),
                Optional("accuracy"), Optional("test_loss"), Optional("test_accuracy"),
                Enumerable.Range(1, layers).Select(l => { int c = Column($"distinct_layer{l}"); return rows.Select(r => (int)(Number(r, c) ?? 0)).ToArray(); }).ToArray());
        }
    }
}
