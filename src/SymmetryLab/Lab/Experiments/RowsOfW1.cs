using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Lesson 003: does training longer make all rows of W[1] equal?</summary>
internal sealed class RowsOfW1 : Experiment
{
    public override string Name => "rows-of-w1";
    public override string Title => "Does training longer make the rows of W1 equal?";
    public override string Question => "If lets say we have two inputs and 4 nodes in hidden layer 1 then each node in layer1 will take same two inputs. If we will run the model for longer iteration then will it make all rows of W[1] same?";
    public override string Lesson => "003";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int shortEpochs = options.Quick ? 40 : 100, longEpochs = shortEpochs * 10;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.01, BatchSize = 32, Epochs = longEpochs, Seed = 1 };
        var result = NewResult($"coffee roasting (2 inputs, z-scored), 2-4-1 sigmoid, adam lr 0.01, batch 32; {shortEpochs} epochs and then 10 times longer ({longEpochs}); random starts from seeds 1 to 3, and a symmetric start.");

        var table = new ResultTable("Smallest distance between two rows of W1 (with bias)", ["start", $"after {shortEpochs} epochs", $"after {longEpochs} epochs", "distinct rows at the end", "accuracy (baseline)"], []);
        var series = new List<Series>();
        var ratios = new List<double>();
        foreach (var (label, scheme, seed) in new[] { ("random, seed 1", "glorot-uniform", 1UL), ("random, seed 2", "glorot-uniform", 2UL), ("random, seed 3", "glorot-uniform", 3UL), ("symmetric start", "symmetric:glorot-uniform", 1UL) })
        {
            options.Report(label);
            var run = Setup.Watch(result, label, new TrainSpec("coffee", [4, 1], Activation.Sigmoid, Activation.Sigmoid, scheme, true, adam with { Seed = seed }), coffee);
            int stepsPerEpoch = (int)(run.Steps / longEpochs);
            double DistanceAt(long step) => MinDistance(run.Snapshots.Last(s => s.Step <= step).Layer1, 4, 3);
            double early = DistanceAt((long)shortEpochs * stepsPerEpoch), late = DistanceAt(run.Steps);
            table.Rows.Add([label, Setup.G(early), Setup.G(late), $"{run.Distinct(1)} of 4", Setup.PB(run.FinalAccuracy, run.Baseline?.Train)]);
            series.Add(new Series(label, run.Snapshots.Select(s => (double)s.Step).ToArray(), run.Snapshots.Select(s => MinDistance(s.Layer1, 4, 3)).ToArray()));
            if (scheme.StartsWith("symmetric"))
            {
                result.Claim("from a symmetric start the rows of W1 are equal, and stay equal for 10x longer", run.Snapshots.All(s => MinDistance(s.Layer1, 4, 3) == 0) && run.Distinct(1) == 1, $"largest smallest-distance seen: {Setup.G(run.Snapshots.Max(s => MinDistance(s.Layer1, 4, 3)))}");
                result.Answer.Add($"Rows that start equal stay equal: from the symmetric start all 4 rows are identical after {longEpochs} epochs too (distance exactly {Setup.G(late)}).");
            }
            else
            {
                result.Claim($"{label}: 10x longer training does not bring the closest two rows together (distance stays above half of what it was)", late > 0.5 * early && run.Distinct(1) == 4, $"{Setup.G(early)} -> {Setup.G(late)}");
                ratios.Add(late / early);
            }
        }
        result.Tables.Add(table);
        // "Towards each other" only when no seed's closest pair got closer; a ratio below 1 is a drift, if a small one.
        string verdict = ratios.All(r => r >= 1) ? "do not drift towards each other" : "do not come together (a closest pair may drift somewhat closer, but stays far from equal)";
        result.Answer.Insert(0, $"No. From random starts the rows of W1 {verdict}: each hidden unit settles into its own feature. After 10 times longer training the closest two rows are {string.Join(", ", ratios.Select(r => $"{r:0.##} times"))} as far apart as after {shortEpochs} epochs (seeds 1 to 3; the table has the distances).");
        result.Figures.Add(new LineFigure("row-distance", "Smallest distance between two rows of W1 during training", "Random starts keep their rows apart; the symmetric start stays at exactly 0.", "step", "distance", series));
        return result;
    }

    /// <summary>Smallest Euclidean distance between two units' rows (weights and bias) in a layer-1 snapshot.</summary>
    private static double MinDistance(double[] layer1, int units, int width)
    {
        double best = double.PositiveInfinity;
        for (int a = 0; a < units; a++)
            for (int b = a + 1; b < units; b++)
            {
                double sum = 0;
                for (int i = 0; i < width; i++) sum += Math.Pow(layer1[a * width + i] - layer1[b * width + i], 2);
                best = Math.Min(best, Math.Sqrt(sum));
            }
        return best;
    }
}
