using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// From a symmetric start, one switch at a time: which differences between units let backpropagation
/// tell them apart, and which do not.
/// </summary>
internal sealed class WhatBreaksSymmetry : Experiment
{
    public override string Name => "what-breaks-symmetry";
    public override string Title => "What breaks symmetry, and what does not";
    public override string Question => "Is it the random initialization that makes units differ, or something the training does (minibatches, dropout)? How small a difference is enough?";
    public override string Lesson => "000";

    private sealed record Switch(string Name, Action<Network<double>, Rng> Change, TrainingOptions Options, bool ShouldBreak);

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int epochs = options.Quick ? 100 : 400;
        var gd = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 1.0, BatchSize = null, Epochs = epochs, Seed = 1 };
        var result = NewResult($"coffee roasting (z-scored), 2-4-1 sigmoid; every run starts from the same symmetric:glorot-uniform weights (4 identical hidden units, drawn from seed 7), then changes one thing; full-batch gd lr 1.0 for {epochs} epochs, except that the minibatch run takes sgd at lr 0.1 on batches of 16 and the adam run lr 0.01 on batches of 32 (the settings each needs; their commands below say so too; dropout masks and minibatch order from seed 1); the nudged run goes 20 times longer to show how the difference grows. Each run's start is saved as its initial.json, which its command trains from.");

        const double eps = 1e-12;
        Switch[] switches =
        [
            new("nothing (the symmetric start)", (_, _) => { }, gd, false),
            new("random incoming weights only", (n, r) => Randomize(n.Layers[0].Weights, r, 1.0), gd, true),
            new("random outgoing weights only", (n, r) => Randomize(n.Layers[1].Weights, r, 1.0), gd, true),
            new("random biases only", (n, r) => Randomize(n.Layers[0].Biases, r, 0.5), gd, true),
            new("dropout 0.2", (_, _) => { }, gd with { Dropout = 0.2 }, true),
            new("minibatches of 16, reshuffled every epoch", (_, _) => { }, gd with { Optimizer = "sgd", BatchSize = 16, LearningRate = 0.1 }, false),
            new("adam instead of gradient descent", (_, _) => { }, gd with { Optimizer = "adam", LearningRate = 0.01, BatchSize = 32 }, false),
            new($"one weight of unit 1 nudged by {eps:G}", (n, _) => n.Layers[0].Weights[0] += eps, gd with { Epochs = epochs * 20 }, true),
        ];

        var table = new ResultTable("One switch at a time", ["what differs", "units distinct at the start (initial.json)", "first step with more distinct units", "distinct at the end", "smallest distance between units at the end"], []);
        var gapSeries = new List<Series>();
        foreach (var s in switches)
        {
            options.Report(s.Name);
            var net = Setup.Net(coffee, [4, 1], Activation.Sigmoid, Activation.Sigmoid, "symmetric:glorot-uniform", 7, zscore: true);
            s.Change(net, Rng.Stream(7, RngStream.Perturbation));
            int atStart = UnitGroups.Find(net, 0).Distinct;
            var run = Setup.Watch(result, s.Name, net, "coffee", coffee, s.Options);
            int atEnd = run.Distinct(1);
            double distance = Setup.MinRowDistance(run.Final, 1);
            string breakStep = run.BreakStep(1) is { } step ? $"step {step}" : atStart == net.Layers[0].Units ? "none: all differ from the start" : "never";
            table.Rows.Add([s.Name, $"{atStart} of 4", breakStep, $"{atEnd} of 4", Setup.G(distance)]);
            bool broke = atEnd > 1;
            result.Claim($"{s.Name}: {(s.ShouldBreak ? "breaks" : "does not break")} the symmetry", broke == s.ShouldBreak, $"{atEnd} distinct {(atEnd == 1 ? "unit" : "units")} at the end");
            if (s.Name.StartsWith("one weight"))
            {
                var gaps = run.Snapshots.Select(x => Gap(x.Layer1, 0, 1, net.Layers[0].Inputs + 1)).ToArray();
                gapSeries.Add(new Series("|unit 1 - unit 2| (log10)", run.Snapshots.Select(x => (double)x.Step).ToArray(), gaps.Select(g => Math.Log10(Math.Max(g, 1e-300))).ToArray()));
                double growth = gaps[^1] / gaps[0];
                result.Claim($"the {eps:G} difference grows during training by more than a factor 1000", growth > 1000, $"from {Setup.G(gaps[0])} to {Setup.G(gaps[^1])} (x{Setup.G(growth)})");
                result.Claim("units 2, 3 and 4, which were not nudged, stay identical to each other", atEnd == 2, $"{atEnd} distinct units");
                result.Answer.Add($"A single nudge of {eps:G} to one weight of unit 1 is enough: that difference grew to {Setup.G(gaps[^1])} (a factor of {Setup.G(growth)}), while the three units that were not nudged are still one unit.");
            }
        }
        result.Tables.Add(table);
        result.Answer.Insert(0, "Units stay identical exactly as long as nothing in their computation differs: any difference in incoming weights, outgoing weights or biases, or a random dropout mask, gives them different gradients, and from then on they are different units (table).");
        result.Answer.Insert(1, "Minibatches and Adam do not break symmetry: identical units see the same batch and get the same gradient, so every step keeps them equal. The randomness that matters is in the starting point (or in dropout), not in the order of the data.");
        result.Figures.Add(new LineFigure("nudge-growth", "How a 1e-12 difference grows", "Distance between unit 1 (nudged) and unit 2, on a log10 scale, during training.", "step", "log10 distance", gapSeries));
        return result;
    }

    private static void Randomize(double[] values, Rng rng, double std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextNormal(0, std);
    }

    private static double Gap(double[] layer1, int a, int b, int width)
    {
        double sum = 0;
        for (int i = 0; i < width; i++) sum += Math.Pow(layer1[a * width + i] - layer1[b * width + i], 2);
        return Math.Sqrt(sum);
    }
}
