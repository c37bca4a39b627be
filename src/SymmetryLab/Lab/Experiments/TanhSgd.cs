using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Lesson 002's worked example: n-n-1 tanh with a linear output, squared loss, per-sample sgd.</summary>
internal sealed class TanhSgd : Experiment
{
    public override string Name => "tanh-sgd";
    public override string Title => "Lesson 002's example: dL/dW11 = 2 V1 (t - o) x1 (h1^2 - 1) against dL/dW12";
    public override string Question => "Wouldn't the weights for each of the derived features converge to the same values since each feature in the hidden layer is derived from the same collection of input observations?";
    public override string Lesson => "002";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        const int n = 3;
        var (data, _) = Setup.Data($"plane:n=200,features={n},noise=0.1");
        int epochs = options.Quick ? 5 : 20;
        var sgd = new TrainingOptions { Loss = Loss.Mse, Optimizer = "sgd", LearningRate = 0.01, BatchSize = 1, Epochs = epochs, Seed = 1 };
        var result = NewResult($"a plane with noise ({data.Rows} samples, {n} inputs; --data plane:n=200,features={n},noise=0.1), {n}-{n}-1 network: tanh hidden units h = tanh(x W + b), linear output o = h V + b_o, loss L = (t - o)^2, stochastic gradient descent one sample at a time, lr 0.01, {epochs} epochs, glorot-uniform start. "
            + "Index order: the lesson writes x W with x a row, so its W_ij is the weight from input i to hidden unit j; we write W1[unit,input] (SPEC.md). The lesson's W11 is our W1[1,1], its W12 (input 1 to unit 2) is our W1[2,1], and its V_j is our W2[1,j].");

        var run = Setup.Watch(result, "3-3-1 tanh", new TrainSpec($"plane:n=200,features={n},noise=0.1", [n, 1], Activation.Tanh, Activation.Linear, "glorot-uniform", false, sgd), data);
        var net = run.Final;

        // The lesson's quantities on sample 1, computed here by hand from the weights (not from the engine's buffers).
        var x = data.Row(0).ToArray();
        double t = data.Y[0];
        var h = new double[n];
        for (int j = 0; j < n; j++)
        {
            double z = net.Layers[0].Biases[j];
            for (int i = 0; i < n; i++) z += net.Layers[0].Weight(j, i) * x[i];
            h[j] = Math.Tanh(z);
        }
        double o = net.Layers[1].Biases[0];
        for (int j = 0; j < n; j++) o += net.Layers[1].Weight(0, j) * h[j];
        double V(int j) => net.Layers[1].Weight(0, j);
        double lesson11 = 2 * V(0) * (t - o) * x[0] * (h[0] * h[0] - 1);
        double lesson12 = 2 * V(1) * (t - o) * x[0] * (h[1] * h[1] - 1);

        // The lesson's W11 is input 1 -> hidden unit 1 (W1[1,1] here); W12 is input 1 -> hidden unit 2 (W1[2,1]).
        var dW11 = ChainRule.Explain(net, data, Loss.Mse, new ParameterRef(1, 1, 1), sample: 0);
        var dW12 = ChainRule.Explain(net, data, Loss.Mse, new ParameterRef(1, 2, 1), sample: 0);
        var differs = ChainRule.Differences(dW11, dW12);
        var differing = dW11.Factors.Where((_, i) => differs[i] == true).Select(f => f.Role).ToArray();

        var table = new ResultTable("Sample 1 after training: the lesson's formula against backpropagation", ["", "the lesson's dL/dW11 (input 1 to unit 1): our W1[1,1]", "the lesson's dL/dW12 (input 1 to unit 2): our W1[2,1]"], []);
        table.Rows.Add(["V_j (outgoing weight, our W2[1,j])", Setup.G(V(0)), Setup.G(V(1))]);
        table.Rows.Add(["h_j", Setup.G(h[0]), Setup.G(h[1])]);
        table.Rows.Add(["t - o", Setup.G(t - o), Setup.G(t - o)]);
        table.Rows.Add(["x1", Setup.G(x[0]), Setup.G(x[0])]);
        table.Rows.Add(["2 V_j (t - o) x1 (h_j^2 - 1)", $"{lesson11:G10}", $"{lesson12:G10}"]);
        table.Rows.Add(["backpropagation", $"{dW11.Gradient:G10}", $"{dW12.Gradient:G10}"]);
        table.Rows.Add([$"finite differences (rounding noise up to about +-{dW11.NoiseFloor:G2})", $"{dW11.Numeric:G10}", $"{dW12.Numeric:G10}"]);
        result.Tables.Add(table);

        var units = new ResultTable("Hidden units after training", ["unit", "incoming weights", "bias", "outgoing weight V"], []);
        for (int j = 0; j < n; j++)
            units.Rows.Add([$"{j + 1}", string.Join(", ", Enumerable.Range(0, n).Select(i => Setup.G(net.Layers[0].Weight(j, i)))), Setup.G(net.Layers[0].Biases[j]), Setup.G(V(j))]);
        result.Tables.Add(units);

        static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-10 * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-14;
        result.Claim("backpropagation's dL/dW11 equals the lesson's 2 V1 (t - o) x1 (h1^2 - 1)", Close(dW11.Gradient, lesson11), $"{dW11.Gradient:G12} vs {lesson11:G12}");
        result.Claim("and dL/dW12 equals 2 V2 (t - o) x1 (h2^2 - 1)", Close(dW12.Gradient, lesson12), $"{dW12.Gradient:G12} vs {lesson12:G12}");
        // Finite differences can only confirm a gradient they resolve: agreement within their rounding noise is all they can say.
        result.Claim("both agree with finite differences, within the finite differences' rounding noise", new[] { dW11, dW12 }.All(e => Math.Abs(e.Numeric - e.Gradient) <= e.NoiseFloor),
            $"dL/dW11: {dW11.Numeric:G10} vs {dW11.Gradient:G10}; dL/dW12: {dW12.Numeric:G10} vs {dW12.Gradient:G10}; noise up to {dW11.NoiseFloor:G2}");
        result.Claim("dL/dW11 and dL/dW12 differ, through V and h (the same x1, the same t - o)", dW11.Gradient != dW12.Gradient && differing.Contains("outgoing") && differing.Contains("slope") && !differing.Contains("input"), $"differing factors: {string.Join(", ", differing)}");
        result.Claim($"the {n} hidden units end different", run.Distinct(1) == n, $"{run.Distinct(1)} of {n}");
        result.Claim("training lowered the squared loss (mean over each epoch's single-sample steps)", run.Last.Loss < run.History[0].Loss, $"{Setup.F(run.History[0].Loss)} -> {Setup.F(run.Last.Loss)}");

        result.Answer.Add($"On sample 1 after training, the lesson's formula gives dL/dW11 = {lesson11:G6} and the engine's backpropagation {dW11.Gradient:G6}; for the lesson's W12, our W1[2,1], {lesson12:G6} and {dW12.Gradient:G6}.");
        result.Answer.Add($"The two share x1 and (t - o); they differ because V1 = {Setup.G(V(0))} is not V2 = {Setup.G(V(1))} and h1 = {Setup.G(h[0])} is not h2 = {Setup.G(h[1])}. Those differ because the weights started different: with equal V and equal incoming weights, the formula would give the same number for both, forever.");
        result.Answer.Add($"After {run.Steps} single-sample steps the {n} units are {run.Distinct(1)} different units (table above).");
        result.Figures.Add(new LineFigure("weight-trajectories", "Weights from input 1 to each hidden unit during sgd", "W1[j,1], the lesson's W1j: three different paths from three different starts.", "step", "W1[j,1]", run.Trajectories(0, "W1[j,1]")));
        return result;
    }
}
