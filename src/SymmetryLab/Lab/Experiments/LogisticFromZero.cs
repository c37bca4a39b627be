using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// Lesson 001 (and the DLS remark in it): logistic regression can start from all-zero weights and learn,
/// a network with a hidden layer cannot: from zeros its hidden units stay one unit.
/// </summary>
internal sealed class LogisticFromZero : Experiment
{
    public override string Name => "logistic-from-zero";
    public override string Title => "From zeros, logistic regression's weights move apart; a hidden layer's units stay one unit";
    public override string Question => "For logistic regression you can start with all the weights at zero and backpropagation still learns. Why not for a neural network?";
    public override string Lesson => "001";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int epochs = options.Quick ? 300 : 1000;
        var gd = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 1.0, BatchSize = null, Epochs = epochs };
        var result = NewResult($"coffee roasting (200 x 2, z-scored), full-batch gradient descent lr 1.0, {epochs} steps, bce; all weights and biases start at 0 (the random 2-3-1 from glorot-uniform, seed 1). "
            + "The coffee lab itself starts from TensorFlow's tf.random.set_seed(1234), whose draws no other generator reproduces; here the starts are named by our own seeded schemes.");

        options.Report("logistic regression from zeros");
        var logistic = Setup.Watch(result, "logistic regression, zeros", new TrainSpec("coffee", [1], Activation.Sigmoid, Activation.Sigmoid, "zeros", true, gd), coffee);
        options.Report("2-3-1 from zeros");
        var hidden = Setup.Watch(result, "2-3-1, zeros", new TrainSpec("coffee", [3, 1], Activation.Sigmoid, Activation.Sigmoid, "zeros", true, gd), coffee);
        options.Report("2-3-1 from random weights");
        var random = Setup.Watch(result, "2-3-1, random", new TrainSpec("coffee", [3, 1], Activation.Sigmoid, Activation.Sigmoid, "glorot-uniform", true, gd), coffee);

        var table = new ResultTable("Three runs on the coffee data", ["network", "start", "cost at the start", "final cost", "accuracy (baseline)", "distinct units in layer 1"], []);
        foreach (var (name, scheme, run) in new[] { ("logistic regression (2-1)", "zeros", logistic), ("2-3-1 sigmoid", "zeros", hidden), ("2-3-1 sigmoid", "glorot-uniform", random) })
            table.Rows.Add([name, scheme, Setup.F(run.History[0].Loss), Setup.F(run.FinalLoss), Setup.PB(run.FinalAccuracy, run.Baseline?.Train), $"{run.Distinct(1)} of {run.Final.Layers[0].Units}"]);
        result.Tables.Add(table);

        var w = logistic.Final.Layers[0].Weights;
        // Full-batch gd: the first epoch's cost is the cost of the starting weights.
        double start = logistic.History[0].Loss, end = logistic.FinalLoss;
        result.Claim("logistic regression from zeros starts at cost ln 2", Math.Abs(start - Math.Log(2)) < 1e-12, $"first cost {start:R}, ln 2 = {Math.Log(2):R}");
        result.Claim("logistic regression from zeros trains: its cost falls by more than 0.15", start - end > 0.15, $"cost {Setup.F(start)} -> {Setup.F(end)}");
        result.Claim("its two weights move away from zero and from each other", w[0] != 0 && w[1] != 0 && w[0] != w[1], $"w1 = {Setup.G(w[0])}, w2 = {Setup.G(w[1])}");
        result.Claim("the 2-3-1 net from zeros ends with 1 distinct hidden unit of 3", hidden.Distinct(1) == 1, $"{hidden.Distinct(1)} distinct");
        result.Claim("the 2-3-1 net from random weights ends with 3 distinct hidden units", random.Distinct(1) == 3, $"{random.Distinct(1)} distinct");
        result.Claim("the random 2-3-1 net fits better than the one stuck as a single unit", random.FinalLoss < hidden.FinalLoss,
            $"final cost {Setup.F(random.FinalLoss)} vs {Setup.F(hidden.FinalLoss)}");

        double baseline = logistic.Baseline!.Train;
        string accuracy = logistic.FinalAccuracy > baseline
            ? $"Its accuracy, {Setup.P(logistic.FinalAccuracy)}, beats the {Setup.P(baseline)} of always answering \"bad roast\"."
            : $"Learning here means the cost fell and the weights left zero, not that it classifies well: its accuracy, {Setup.P(logistic.FinalAccuracy)}, is no better than the {Setup.P(baseline)} of always answering \"bad roast\", because a straight line cannot cut the good roasts (a band of temperatures and durations) from the rest.";
        result.Answer.Add($"Logistic regression has no hidden units, so there is nothing to be symmetric: from all-zero weights its cost fell from ln 2 = {Setup.F(start)} to {Setup.F(end)}, and its two weights became {Setup.G(w[0])} and {Setup.G(w[1])} because x1 and x2 carry different information. {accuracy}");
        result.Answer.Add($"Put 3 hidden units in between and start them at zero: they compute the same thing, receive the same gradient, and after {hidden.Steps} steps there is still {hidden.Distinct(1)} distinct unit (final cost {Setup.F(hidden.FinalLoss)}, accuracy {Setup.PB(hidden.FinalAccuracy, hidden.Baseline?.Train)}).");
        result.Answer.Add($"From random weights the same network ends with {random.Distinct(1)} distinct units, cost {Setup.F(random.FinalLoss)} and accuracy {Setup.PB(random.FinalAccuracy, random.Baseline?.Train)}.");

        result.Figures.Add(new LineFigure("loss-curves", "Cost per step", "Full-batch gd: each point is the cost of the weights before that step. Logistic regression's cost falls from zeros; the hidden layer from zeros is one unit wide.", "step", "cost (bce)",
            [Figures.Loss("logistic regression, zeros", logistic), Figures.Loss("2-3-1, zeros", hidden), Figures.Loss("2-3-1, random", random)]));
        result.Figures.Add(new LineFigure("weight-trajectories", "Layer 1 weights from input 1 during training, 2-3-1 from zeros vs random",
            "Identical units lie on one line: the three zero-started units' trajectories coincide.", "step", "W1[j,1]",
            [.. hidden.Trajectories(0, "zeros"), .. random.Trajectories(0, "random")]));
        result.Figures.Add(new BoundaryFigure("decision-boundary", "Decision regions", "P(good roast) over temperature and duration; points are the 200 roasts.",
            [Figures.Boundary("logistic regression from zeros", logistic.Final, coffee), Figures.Boundary("2-3-1 from zeros", hidden.Final, coffee), Figures.Boundary("2-3-1 random", random.Final, coffee)]));
        return result;
    }
}
