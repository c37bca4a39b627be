using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>All-zero weights with four hidden activations, side by side: stuck together, or not moving at all?</summary>
internal sealed class DeadOrSymmetric : Experiment
{
    public override string Name => "dead-or-symmetric";
    public override string Title => "All-zero weights: symmetric with sigmoid, dead with tanh, relu and linear";
    public override string Question => "If all the weights start at zero, do the hidden units learn the same thing, or nothing at all?";
    public override string Lesson => "003";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int epochs = options.Quick ? 100 : 300;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.01, BatchSize = 32, Epochs = epochs, Seed = 1 };
        var result = NewResult($"coffee roasting (z-scored), 2-3-1 with sigmoid output, every weight and bias 0, adam lr 0.01, batch 32, {epochs} epochs; only the hidden activation changes.");

        var table = new ResultTable("Hidden activation from all-zero weights", ["hidden activation", "a = g(0)", "g'(0)", "hidden weights moved", "distinct units at the end", "final cost", "accuracy (baseline)", "diagnosis"], []);
        var series = new List<Series>();
        foreach (var (g, expected) in new[] { (Activation.Sigmoid, Diagnosis.Symmetric), (Activation.Tanh, Diagnosis.DeadSaddle), (Activation.Relu, Diagnosis.DeadSaddle), (Activation.Linear, Diagnosis.DeadSaddle) })
        {
            options.Report(g.Name());
            var run = Setup.Watch(result, g.Name(), new TrainSpec("coffee", [3, 1], g, Activation.Sigmoid, "zeros", true, adam), coffee);
            bool moved = !run.Initial.Layers[0].Weights.AsSpan().SequenceEqual(run.Final.Layers[0].Weights);
            double a0 = g switch { Activation.Sigmoid => 0.5, _ => 0 };
            double slope = ActivationFunctions.Derivative(g, 0, a0);
            table.Rows.Add([g.Name(), Setup.G(a0), Setup.G(slope), moved ? "yes" : "no", $"{run.Distinct(1)} of 3", Setup.F(run.FinalLoss), Setup.PB(run.FinalAccuracy, run.Baseline?.Train), run.Diagnosis.Kind]);
            result.Claim($"zeros with {g.Name()} hidden units is diagnosed {expected}", run.Diagnosis.Kind == expected, run.Diagnosis.Kind);
            if (g == Activation.Sigmoid)
                result.Claim("the sigmoid units move but stay one unit", moved && run.Distinct(1) == 1, $"moved: {moved}, {run.Distinct(1)} distinct");
            else
            {
                result.Claim($"the {g.Name()} hidden weights never move", !moved, moved ? "they moved" : "bit-identical to the start");
                bool outputWeightsMoved = !run.Initial.Layers[1].Weights.AsSpan().SequenceEqual(run.Final.Layers[1].Weights);
                result.Claim($"with {g.Name()} only the output bias learns (the output weights stay 0)", !outputWeightsMoved, outputWeightsMoved ? "the output weights moved" : "output weights bit-identical to the start");
            }
            series.Add(Figures.Loss(g.Name(), run));
            if (g == Activation.Sigmoid)
                result.Answer.Add($"Sigmoid outputs g(0) = 0.5, so the output unit sees non-zero activations and passes back an error: the hidden weights move ({run.Diagnosis.Kind}), but all three units get the same gradient and end as {run.Distinct(1)} unit.");
        }
        result.Tables.Add(table);
        result.Answer.Add("Tanh, relu and linear units output g(0) = 0 at zero weights, so the output weights get zero gradient; and the error sent back to each hidden unit is its outgoing weight (0) times the output's delta: 0. Nothing in the hidden layer ever moves, only the output bias. That is a saddle point, not symmetry.");
        result.Answer.Add("Both end the same way for the learner: a network no wider than one unit. Random initialization fixes both.");
        result.Figures.Add(new LineFigure("loss-curves", "Cost per epoch from all-zero weights", "The mean of each epoch's batch costs. Only the output bias learns in the dead cases, so their cost flattens at the cost of predicting the share of good roasts for every roast.", "epoch", "mean cost (bce)", series));
        return result;
    }
}
