using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Lesson 002 (Elements of Statistical Learning): one sigmoid hidden layer, K softmax outputs.</summary>
internal sealed class EslKClass : Experiment
{
    public override string Name => "esl-k-class";
    public override string Title => "K-class networks (ESL 11.3): derived features Z_m are not redundant";
    public override string Question => "To my untrained eyes it looks like the hidden layer contain redundant features. What am I missing?";
    public override string Lesson => "002";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        int epochs = options.Quick ? 30 : 100;
        var result = NewResult($"Z_m = sigmoid(alpha_0m + alpha_m^T X), T_k = beta_0k + beta_k^T Z, f_k = softmax(T)_k: one sigmoid hidden layer, softmax output, cross-entropy, adam lr 0.01, batch 32, {epochs} epochs, glorot-uniform start, inputs z-scored; iris (4 features, 3 classes, 20% held out) with M = 6, and optdigits (64 features, 10 classes, 20% held out) with M = 16.");
        var table = new ResultTable("Hidden units and their contributions", ["data", "network", "distinct hidden units", "closest two units' outgoing weights (distance)", "test accuracy (baseline)"], []);
        foreach (var (name, hidden) in new[] { ("iris", 6), ("optdigits", 16) })
        {
            options.Report(name);
            var (all, _) = Setup.Data(name);
            var (train, test) = all.Split(0.2, 1);
            var spec = new TrainSpec(name, [hidden, all.ClassCount], Activation.Sigmoid, Activation.Softmax, "glorot-uniform", true,
                new TrainingOptions { Loss = Loss.Ce, Optimizer = "adam", LearningRate = 0.01, BatchSize = 32, Epochs = epochs, Seed = 1 }, Test: 0.2);
            var run = Setup.Watch(result, name, spec, train, test);
            double closest = ClosestOutgoing(run.Final);
            table.Rows.Add([name, run.Final.Shape, $"{run.Distinct(1)} of {hidden}", Setup.G(closest), Setup.PB(run.Last.TestAccuracy, run.Baseline?.Test)]);
            result.Claim($"{name}: all {hidden} hidden units are distinct", run.Distinct(1) == hidden, $"{run.Distinct(1)} of {hidden}");
            result.Claim($"{name}: each unit's contribution to the K outputs (its column of beta) differs from every other's", closest > 0.05, $"closest pair of columns {Setup.G(closest)} apart");
            result.Claim($"{name}: at least 90% test accuracy", run.Last.TestAccuracy >= 0.9, Setup.P(run.Last.TestAccuracy));
            if (name == "iris")
                result.Figures.Add(new HeatmapFigure("iris-similarity", "Iris: cosine similarity between the hidden units",
                    $"Incoming weights (alpha_m, alpha_0m) before and after training, on one fixed scale from -1 to 1 (the diagonal, a unit with itself, is 1). Between two different units the largest similarity is {Setup.G(Figures.OffDiagonal(run.Initial, 1).Max)} before and {Setup.G(Figures.OffDiagonal(run.Final, 1).Max)} after training.",
                    [("before", Figures.UnitSimilarity(run.Initial, 1)), ("after", Figures.UnitSimilarity(run.Final, 1))], "cosine"));
            result.Answer.Add($"{name}: the {hidden} derived features Z_m start from different alpha_m and stay different ({run.Distinct(1)} distinct); their columns of beta, how each Z_m votes for the {all.ClassCount} classes, are at least {Setup.G(closest)} apart, and the network classifies {Setup.P(run.Last.TestAccuracy)} of held-out samples correctly (always answering the most common class: {Setup.P(run.Baseline?.Test)}).");
        }
        result.Tables.Add(table);
        result.Answer.Insert(0, "The features would be redundant only if two units had the same alpha_m and the same beta column; random starting values make every unit's gradient different, so each derived feature ends up measuring something else.");
        return result;
    }

    /// <summary>Smallest Euclidean distance between two hidden units' outgoing weight columns beta_m.</summary>
    private static double ClosestOutgoing(Network<double> net)
    {
        var output = net.Layers[1];
        double best = double.PositiveInfinity;
        for (int a = 0; a < output.Inputs; a++)
            for (int b = a + 1; b < output.Inputs; b++)
            {
                double sum = 0;
                for (int k = 0; k < output.Units; k++) sum += Math.Pow(output.Weight(k, a) - output.Weight(k, b), 2);
                best = Math.Min(best, Math.Sqrt(sum));
            }
        return best;
    }
}
