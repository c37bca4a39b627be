using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Lesson 000: the 400-25-15-1 digits network of the course, under identical and random starts.</summary>
internal sealed class WhyDifferent : Experiment
{
    public override string Name => "why-different";
    public override string Title => "Why do the 25 units of the digits network end up different?";
    public override string Question => "If the same input matrix X is being passed into each of the 25 units in the first layer, given they're all using the same activation function (sigmoid), wouldn't they all evaluate the same output matrix?";
    public override string Lesson => "000";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (all, _) = Setup.Data("digits01");
        int epochs = options.Quick ? 5 : 20;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.001, BatchSize = 32, Epochs = epochs, Seed = 1 };
        var result = NewResult($"digits01: 1000 MNIST test images of 0 and 1, cropped to 20 x 20 pixels like the course's set (not the course's own file); every run holds out the same fifth ({(int)Math.Round(all.Rows * 0.2)} images, drawn by split seed {Dataset.DefaultSplitSeed}, so the starts differ and nothing else) and trains on the rest. 400-25-15-1 sigmoid, bce, adam lr 0.001, batch 32, {epochs} epochs, biases 0; five starts, each redone by the command listed with it.");

        var starts = new[]
        {
            ("zeros", "zeros", 1UL),
            ("constant 0.5", "constant:0.5", 1UL),
            ("symmetric random", "symmetric:glorot-uniform", 1UL),
            ("random, seed 1", "glorot-uniform", 1UL),
            ("random, seed 2", "glorot-uniform", 2UL),
        };
        var runs = Setup.WatchAll(result, options, [.. starts.Select(start =>
        {
            var (label, scheme, seed) = start;
            var (train, test) = all.Split(0.2, Dataset.DefaultSplitSeed);
            return (label, new TrainSpec("digits01", [25, 15, 1], Activation.Sigmoid, Activation.Sigmoid, scheme, false, adam with { Seed = seed }, Test: 0.2), train, (Dataset?)test);
        })]);

        var table = new ResultTable("Five starts", ["start", "distinct units in layer 1", "in layer 2", "train accuracy (baseline)", "test accuracy (baseline)", "final cost", "diagnosis"], []);
        foreach (var (label, run) in runs)
            table.Rows.Add([label, $"{run.Distinct(1)} of 25", $"{run.Distinct(2)} of 15", Setup.PB(run.FinalAccuracy, run.Baseline?.Train), Setup.PB(run.Last.TestAccuracy, run.Baseline?.Test), Setup.F(run.FinalLoss), run.Diagnosis.Kind]);
        result.Tables.Add(table);

        foreach (var (label, run) in runs.Take(3))
            result.Claim($"{label}: layer 1 has 1 distinct unit of 25 (and layer 2 1 of 15)", run.Distinct(1) == 1 && run.Distinct(2) == 1, $"{run.Distinct(1)} and {run.Distinct(2)}");
        foreach (var (label, run) in runs.Skip(3))
        {
            result.Claim($"{label}: 25 of 25 distinct units in layer 1 and 15 of 15 in layer 2", run.Distinct(1) == 25 && run.Distinct(2) == 15, $"{run.Distinct(1)} and {run.Distinct(2)}");
            result.Claim($"{label}: at least 98% test accuracy", run.Last.TestAccuracy >= 0.98, Setup.P(run.Last.TestAccuracy));
        }
        var (seed1, seed2) = (runs[3].Run.Final, runs[4].Run.Final);
        result.Claim("the two random seeds end with different weights (not one solution)", !seed1.Layers[0].Weights.AsSpan().SequenceEqual(seed2.Layers[0].Weights), $"first weight {Setup.G(seed1.Layers[0].Weights[0])} vs {Setup.G(seed2.Layers[0].Weights[0])}");

        // Each identical start with its own figures: one sentence per setup, no figure borrowed from another.
        string Identical((string Label, WatchedRun Run) r)
        {
            var (label, run) = r;
            double? accuracy = run.Last.TestAccuracy, baseline = run.Baseline?.Test;
            string verdict = accuracy > baseline
                ? $"above the {Setup.P(baseline)} of always answering the majority class"
                : $"no better than always answering the majority class ({Setup.P(baseline)})";
            return $"from {label}, {run.Distinct(1)} distinct of 25 in layer 1 and {run.Distinct(2)} of 15 in layer 2, test accuracy {Setup.P(accuracy)}, {verdict}";
        }
        result.Answer.Add($"Yes: if the 25 units start with the same weights they compute the same output on every image, get the same gradient, and stay the same. Measured: {string.Join("; ", runs.Take(3).Select(Identical))}. Each is a 400-1-1-1 network in disguise; whether one unit per layer is enough to tell 0 from 1 depends on where it started, as the accuracies show.");
        var random = runs[3].Run;
        result.Answer.Add($"From random weights (seed 1) all {random.Distinct(1)} units of layer 1 and {random.Distinct(2)} of layer 2 differ from the start and stay different: each receives a different gradient because its weights differ. Test accuracy {Setup.PB(random.Last.TestAccuracy, random.Baseline?.Test)} on held-out images (seed 2: {Setup.PB(runs[4].Run.Last.TestAccuracy, runs[4].Run.Baseline?.Test)}).");
        result.Answer.Add("Backpropagation does not assign features; it only follows each unit's own gradient. The random start is what makes those gradients differ, and different gradients make different features (see the weight images).");

        result.Figures.Add(new LineFigure("loss-curves", "Cost per epoch for each start", "The mean of each epoch's batch costs, for the identical starts and the random ones.", "epoch", "mean cost (bce)", runs.Select(r => Figures.Loss(r.Label, r.Run)).ToList()));
        result.Figures.Add(new LineFigure("distinct-units", "Distinct units in layer 1 per epoch", $"Counted at the end of each epoch: {string.Join(", ", runs.Select(r => $"{r.Label} {string.Join("/", r.Run.Recorder.DistinctPerEpoch.Select(d => d[0]).Distinct())}"))}. Coinciding lines are drawn one inside the other, each with its own marker.", "epoch", "distinct units", runs.Select(r => Figures.DistinctUnits(r.Label, r.Run, 1)).ToList()) { MayCoincide = true });
        var zeros = runs[0].Run;
        result.Figures.Add(new TilesFigure("weights-zeros", "Layer 1 weights as images, zeros start", $"The 25 units are {(zeros.Distinct(1) == 1 ? "one picture repeated" : $"{zeros.Distinct(1)} different pictures")}; each tile is scaled to its own largest |weight|.", Figures.WeightTiles(zeros.Final, 25), 20, 20, 5));
        result.Figures.Add(new TilesFigure("weights-random", "Layer 1 weights as images, random start (seed 1)", $"{random.Distinct(1)} different pictures: {random.Distinct(1)} different features; each tile is scaled to its own largest |weight|.", Figures.WeightTiles(random.Final, 25), 20, 20, 5));
        var constant = runs[1].Run;
        result.Figures.Add(new HeatmapFigure("unit-similarity", "Cosine similarity between layer 1 units",
            $"Each unit's incoming weights and bias against every other's, on one fixed scale from -1 to 1; a unit against itself (the diagonal) is 1, the top of the scale. Random start: off the diagonal between {Setup.G(Figures.OffDiagonal(random.Initial, 1).Min)} and {Setup.G(Figures.OffDiagonal(random.Initial, 1).Max)} before training, {Setup.G(Figures.OffDiagonal(random.Final, 1).Min)} to {Setup.G(Figures.OffDiagonal(random.Final, 1).Max)} after. Constant 0.5 start after training: {Setup.G(Figures.OffDiagonal(constant.Final, 1).Min)} to {Setup.G(Figures.OffDiagonal(constant.Final, 1).Max)}{(constant.Distinct(1) == 1 ? ", identical units" : "")}.",
            [("random, before", Figures.UnitSimilarity(random.Initial, 1)), ("random, after", Figures.UnitSimilarity(random.Final, 1)), ("constant 0.5, after", Figures.UnitSimilarity(constant.Final, 1))], "cosine"));
        return result;
    }
}
