using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Lesson 000: the 400-25-15-1 digits network of the course, under identical and random starts.</summary>
public sealed class WhyDifferent : Experiment
{
    public override string Name => "why-different";
    public override string Title => "Why do the 25 units of the digits network end up different?";
    public override string Question => "If the same input matrix X is being passed into each of the 25 units in the first layer, given they're all using the same activation function (sigmoid), wouldn't they all evaluate the same output matrix?";
    public override string Lesson => "000";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (all, _) = Setup.Data("digits01");
        var (train, test) = all.Split(0.2, 1);
        int epochs = options.Quick ? 5 : 20;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.001, BatchSize = 32, Epochs = epochs, Seed = 1 };
        var result = NewResult($"digits01 (the course's 1000 images of 0 and 1, 20 x 20 pixels; {train.Rows} to train, {test.Rows} held out), 400-25-15-1 sigmoid, bce, adam lr 0.001, batch 32, {epochs} epochs, biases 0; five starts.");

        var starts = new[]
        {
            ("zeros", "zeros", 1UL),
            ("constant 0.5", "constant:0.5", 1UL),
            ("symmetric random", "symmetric:glorot-uniform", 1UL),
            ("random, seed 1", "glorot-uniform", 1UL),
            ("random, seed 2", "glorot-uniform", 2UL),
        };
        var runs = new List<(string Label, WatchedRun Run)>();
        foreach (var (label, scheme, seed) in starts)
        {
            options.Report(label);
            runs.Add((label, WatchedRun.Train(Setup.Net(train, [25, 15, 1], Activation.Sigmoid, Activation.Sigmoid, scheme, seed), train, adam with { Seed = seed }, test)));
        }

        var table = new ResultTable("Five starts", ["start", "distinct units in layer 1", "in layer 2", "train accuracy", "test accuracy", "final cost", "diagnosis"], []);
        foreach (var (label, run) in runs)
            table.Rows.Add([label, $"{run.Distinct(1)} of 25", $"{run.Distinct(2)} of 15", Setup.P(run.Last.Accuracy), Setup.P(run.Last.TestAccuracy), Setup.F(run.Last.Loss), run.Diagnosis.Kind]);
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

        var zeros = runs[0].Run;
        var random = runs[3].Run;
        result.Answer.Add($"Yes: if the 25 units start with the same weights they compute the same output on every image, get the same gradient, and stay the same. From zeros, from the constant 0.5 and from a random-but-shared start, layer 1 ends with {zeros.Distinct(1)} distinct unit of 25 and layer 2 with {zeros.Distinct(2)} of 15: a 400-1-1-1 network in disguise (it still reaches {Setup.P(zeros.Last.TestAccuracy)} test accuracy, since telling 0 from 1 needs little).");
        result.Answer.Add($"From random weights (seed 1) all {random.Distinct(1)} units of layer 1 and {random.Distinct(2)} of layer 2 are different from the first step, and stay different: each receives a different gradient because its weights differ. Accuracy {Setup.P(random.Last.TestAccuracy)} on held-out images.");
        result.Answer.Add("Backpropagation does not assign features; it only follows each unit's own gradient. The random start is what makes those gradients differ, and different gradients make different features (see the weight images).");

        result.Figures.Add(new LineFigure("loss-curves", "Cost per epoch for each start", "The identical starts and the random ones.", "epoch", "cost (bce)", runs.Select(r => Figures.Loss(r.Label, r.Run)).ToList()));
        result.Figures.Add(new LineFigure("distinct-units", "Distinct units in layer 1 per epoch", "Identical starts stay at 1; random starts at 25. Coinciding lines are drawn one inside the other, each with its own marker.", "epoch", "distinct units", runs.Select(r => Figures.DistinctUnits(r.Label, r.Run, 1)).ToList()) { MayCoincide = true });
        result.Figures.Add(new TilesFigure("weights-zeros", "Layer 1 weights as images, zeros start", "All 25 units are the same picture.", Figures.WeightTiles(zeros.Final, 25), 20, 20, 5));
        result.Figures.Add(new TilesFigure("weights-random", "Layer 1 weights as images, random start (seed 1)", "25 different pictures: 25 different features.", Figures.WeightTiles(random.Final, 25), 20, 20, 5));
        result.Figures.Add(new HeatmapFigure("unit-similarity", "Cosine similarity between layer 1 units", "Before and after training; identical units have similarity 1.",
            [("random, before", Figures.UnitSimilarity(random.Initial, 1)), ("random, after", Figures.UnitSimilarity(random.Final, 1)), ("constant 0.5, after", Figures.UnitSimilarity(runs[1].Run.Final, 1))], "cosine"));
        return result;
    }
}
