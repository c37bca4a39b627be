using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>The Deep Learning Specialization's initialization lab: zeros, large random, He, on its circles.</summary>
internal sealed class DlsInitialization : Experiment
{
    public override string Name => "dls-initialization";
    public override string Title => "The DLS initialization lab: zeros, random x10, He";
    public override string Question => "What happens to a 3-layer ReLU network when its weights start at zero, at large random values, or with He initialization?";
    public override string Lesson => "course";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (train, test) = Setup.Data("circles-dls");
        int iterations = options.Quick ? 8000 : 15000;
        var gd = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.01, BatchSize = null, Epochs = iterations, Seed = 3 };
        var result = NewResult($"circles-dls (300 train, 100 test points), 2-10-5-1 relu/relu/sigmoid, full-batch gradient descent lr 0.01, {iterations} iterations, biases 0; weights: all zeros, normal(0, 10) (the course's randn * 10), and he-normal (randn * sqrt(2 / fan_in)), each drawn from seed 3 of our generator (the course's np.random.seed(3) draws cannot be reproduced by another generator, so the numbers differ from the notebook's).");

        (string Label, string Scheme)[] weights = [("zeros", "zeros"), ("random x10", "normal:0:10"), ("He", "he-normal")];
        var runs = Setup.WatchAll(result, options, [.. weights
            .Select(w => (w.Label, new TrainSpec("circles-dls", [10, 5, 1], Activation.Relu, Activation.Sigmoid, w.Scheme, false, gd), train, test))]);
        var table = new ResultTable("Three initializations", ["weights", "cost at the start", "final cost", "train accuracy (baseline)", "test accuracy (baseline)", "distinct units (layer 1, 2)", "diagnosis"], []);
        foreach (var (label, run) in runs)
            table.Rows.Add([label, Setup.F(run.History[0].Loss), Setup.F(run.FinalLoss), Setup.PB(run.FinalAccuracy, run.Baseline?.Train), Setup.PB(run.Last.TestAccuracy, run.Baseline?.Test), $"{run.Distinct(1)}, {run.Distinct(2)}", run.Diagnosis.Kind]);
        result.Tables.Add(table);

        var (zeros, big, he) = (runs[0].Run, runs[1].Run, runs[2].Run);
        result.Claim("zeros: the cost stays at ln 2", zeros.History.All(h => Math.Abs(h.Loss - Math.Log(2)) < 1e-9) && Math.Abs(zeros.FinalLoss - Math.Log(2)) < 1e-9, $"cost {zeros.History[0].Loss:R} ... {zeros.FinalLoss:R}");
        result.Claim("zeros: train accuracy 0.5 (every prediction is the same)", Math.Abs(zeros.FinalAccuracy!.Value - 0.5) < 1e-12, Setup.P(zeros.FinalAccuracy));
        result.Claim("zeros: diagnosed dead-saddle", zeros.Diagnosis.Kind == Diagnosis.DeadSaddle, zeros.Diagnosis.Kind);
        result.Claim("random x10: starts saturated", big.Diagnosis.Kind == Diagnosis.Saturated, big.Diagnosis.Kind);
        result.Claim("random x10: a huge starting cost, far above ln 2", big.History[0].Loss > 5, Setup.F(big.History[0].Loss));
        result.Claim("random x10: worse test accuracy than He", big.Last.TestAccuracy < he.Last.TestAccuracy, $"{Setup.P(big.Last.TestAccuracy)} vs {Setup.P(he.Last.TestAccuracy)}");
        result.Claim("He: train accuracy above 0.98", he.FinalAccuracy > 0.98, Setup.P(he.FinalAccuracy));
        result.Claim("He: diagnosed healthy", he.Diagnosis.Kind == Diagnosis.Healthy, he.Diagnosis.Kind);

        result.Answer.Add($"Zeros: every relu unit outputs 0 and the classes are balanced, so the output's gradient is exactly 0 too: the cost stays at ln 2 = {Setup.F(Math.Log(2))} for all {iterations} iterations and accuracy is {Setup.P(zeros.FinalAccuracy)}, exactly the {Setup.P(zeros.Baseline?.Train)} of always answering one class ({zeros.Diagnosis.Kind}).");
        result.Answer.Add($"Random x10: the sigmoid output starts pinned at 0 or 1, so confident mistakes cost a lot (first cost {Setup.F(big.History[0].Loss)}) and gradients are tiny where it is right; it ends at {Setup.P(big.FinalAccuracy)} train and {Setup.P(big.Last.TestAccuracy)} test accuracy (baseline {Setup.P(big.Baseline?.Train)} and {Setup.P(big.Baseline?.Test)}).");
        result.Answer.Add($"He: weights scaled by sqrt(2 / fan_in) keep the relu signal at a steady size through the layers; it reaches {Setup.P(he.FinalAccuracy)} train and {Setup.P(he.Last.TestAccuracy)} test accuracy.");

        result.Figures.Add(new LineFigure("loss-curves", "Cost per iteration", "Full-batch gd: each point is the cost of the weights before that iteration. Zeros never moves; x10 starts far up; He descends.", "iteration", "cost (bce)",
            runs.Select(r => Figures.Loss(r.Label, r.Run)).ToList()));
        result.Figures.Add(new BoundaryFigure("decision-boundary", "Decision regions on the training circles", "P(inner circle) of each final network.",
            runs.Select(r => Figures.Boundary(r.Label, r.Run.Final, train)).ToList()));
        return result;
    }
}
