using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// Lesson 001: the coffee 2-2-1 net with w1 = w3, w2 = w4, w5 = w6 never differentiates; make only
/// w5 != w6 and it does. The chain rule shows which factor makes dJ/dw1 differ from dJ/dw3 and from dJ/dw2.
/// </summary>
internal sealed class Tied221 : Experiment
{
    public override string Name => "tied-2-2-1";
    public override string Title => "The tied 2-2-1 coffee net: units differ exactly when their outgoing weights do";
    public override string Question => "If each of these neurons is using sigmoid activation and they all have the exact same data, having different parameters won't change anything. They would always optimize to the same values, wouldn't they?";
    public override string Lesson => "001";

    // The lesson's names: w1, w2 into unit 1 (from x1, x2), w3, w4 into unit 2, w5, w6 out of units 1 and 2.
    private static readonly ParameterRef W1 = new(1, 1, 1), W2 = new(1, 1, 2), W3 = new(1, 2, 1), W5 = new(2, 1, 1), W6 = new(2, 1, 2);

    private static Network<double> Start(Dataset coffee, double w5, double w6)
    {
        var net = new Network<double>(2, [(2, Activation.Sigmoid), (1, Activation.Sigmoid)])
        {
            Normalization = Normalization.Fit(coffee.X, coffee.Rows, coffee.Features),
        };
        double[] hidden = [0.2, -0.3, 0.2, -0.3]; // w1 = w3 = 0.2, w2 = w4 = -0.3
        hidden.CopyTo(net.Layers[0].Weights, 0);
        net.Layers[1].Weights[0] = w5;
        net.Layers[1].Weights[1] = w6;
        return net;
    }

    private static double Get(Network<double> net, ParameterRef p)
    {
        var (values, _, index) = p.Locate(net);
        return values[index];
    }

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int epochs = options.Quick ? 300 : 500;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.01, BatchSize = 32, Epochs = epochs, Seed = 1 };
        var result = NewResult($"coffee roasting (z-scored), 2-2-1 sigmoid as in the lesson: w1 = w3 = 0.2, w2 = w4 = -0.3, biases 0; tied: w5 = w6 = 0.5; untied: w5 = 0.5, w6 = 0.6. Adam lr 0.01, batch 32, {epochs} epochs. "
            + "The lesson's w1, w2 are unit 1's weights from x1 and x2, our W1[1,1] and W1[1,2] (W1[unit,input], SPEC.md); w3, w4 are unit 2's, W1[2,1] and W1[2,2]; w5, w6 go from units 1 and 2 to the output, W2[1,1] and W2[1,2]. "
            + "These starting weights are the forum answer's, set by hand: the lab's own start comes from TensorFlow's tf.random.set_seed(1234), whose draws no other generator reproduces.");

        options.Report("tied");
        var tied = Setup.Watch(result, "tied", Start(coffee, 0.5, 0.5), "coffee", coffee, adam);
        options.Report("untied");
        var untied = Setup.Watch(result, "untied", Start(coffee, 0.5, 0.6), "coffee", coffee, adam);

        var table = new ResultTable("Before and after training", ["start", "w1, w3 at the end", "w2, w4 at the end", "w5, w6 at the end", "distinct hidden units", "symmetry broke at", "accuracy (baseline)"], []);
        foreach (var (label, run) in new[] { ("w5 = w6 (tied)", tied), ("w5 != w6", untied) })
        {
            var f = run.Final;
            table.Rows.Add([label, $"{Setup.G(Get(f, W1))}, {Setup.G(Get(f, W3))}", $"{Setup.G(Get(f, W2))}, {Setup.G(f.Layers[0].Weight(1, 1))}",
                $"{Setup.G(Get(f, W5))}, {Setup.G(Get(f, W6))}", $"{run.Distinct(1)} of 2", run.BreakStep(1) is { } s ? $"step {s}" : "never", Setup.PB(run.FinalAccuracy, run.Baseline?.Train)]);
        }
        result.Tables.Add(table);

        // The chain rule on the untied start, one sample, so every factor is a number.
        var start = Start(coffee, 0.5, 0.6);
        var dw1 = ChainRule.Explain(start, coffee, Loss.Bce, W1, sample: 0);
        var dw3 = ChainRule.Explain(start, coffee, Loss.Bce, W3, sample: 0);
        var dw2 = ChainRule.Explain(start, coffee, Loss.Bce, W2, sample: 0);
        AddFactorTable(result, "dJ/dw1 against dJ/dw3 (sample 1, untied start)", "dJ/dw1", dw1, "dJ/dw3", dw3);
        AddFactorTable(result, "dJ/dw1 against dJ/dw2 (sample 1, untied start)", "dJ/dw1", dw1, "dJ/dw2", dw2);
        string[] Differ(ChainExplanation a, ChainExplanation b)
        {
            var differs = ChainRule.Differences(a, b);
            return a.Factors.Where((_, i) => differs[i] == true).Select(f => f.Role).ToArray();
        }
        var d13 = Differ(dw1, dw3);
        var d12 = Differ(dw1, dw2);

        var tiedStart = Start(coffee, 0.5, 0.5);
        double g1 = ChainRule.Explain(tiedStart, coffee, Loss.Bce, W1).Gradient, g3 = ChainRule.Explain(tiedStart, coffee, Loss.Bce, W3).Gradient;

        result.Claim("while w5 = w6, dJ/dw1 = dJ/dw3 exactly", g1 == g3, $"{g1:R} and {g3:R}");
        result.Claim("the tied net stays tied through training (w1 = w3, w2 = w4, w5 = w6, bit for bit)", tied.Distinct(1) == 1 && Get(tied.Final, W5) == Get(tied.Final, W6), $"{tied.Distinct(1)} distinct unit, w5 - w6 = {Get(tied.Final, W5) - Get(tied.Final, W6):G3}");
        result.Claim("with only w5 != w6 the two units split", untied.Distinct(1) == 2 && untied.BreakStep(1) is not null, $"{untied.Distinct(1)} distinct, split at step {untied.BreakStep(1)}");
        result.Claim("dJ/dw1 and dJ/dw3 differ only in the outgoing weight (w5 vs w6)", d13.SequenceEqual(["outgoing"]), $"differing factors: {string.Join(", ", d13)}");
        result.Claim("dJ/dw1 and dJ/dw2 differ only in the input (x1 vs x2)", d12.SequenceEqual(["input"]), $"differing factors: {string.Join(", ", d12)}");
        result.Claim("each chain-rule product equals backpropagation's gradient and the finite difference", new[] { dw1, dw2, dw3 }.All(e => Close(e.Product, e.Gradient, 1e-12) && Close(e.Numeric, e.Gradient, 1e-6)),
            $"dJ/dw1: product {dw1.Product:G10}, backprop {dw1.Gradient:G10}, numeric {dw1.Numeric:G10}");
        result.Claim("the untied net fits better than the tied one", untied.FinalLoss < tied.FinalLoss, $"final cost {Setup.F(untied.FinalLoss)} vs {Setup.F(tied.FinalLoss)}");

        result.Answer.Add($"With w1 = w3, w2 = w4 and w5 = w6 the two hidden units compute the same a1 = a2, and the chain rule gives dJ/dw1 = delta * w5 * a1(1 - a1) * x1 and dJ/dw3 = delta * w6 * a2(1 - a2) * x1: equal factor by factor, so equal updates. After {tied.Steps} steps they are still one unit (w5 - w6 = {Get(tied.Final, W5) - Get(tied.Final, W6):G3}).");
        result.Answer.Add($"Change only w6 to 0.6: on the first sample dJ/dw1 = {dw1.Gradient:G4} and dJ/dw3 = {dw3.Gradient:G4}, and the only factor that differs is the outgoing weight. The units split at step {untied.BreakStep(1)} and end with accuracy {Setup.P(untied.FinalAccuracy)} against {Setup.P(tied.FinalAccuracy)} for the tied net; always answering \"bad roast\" scores {Setup.P(tied.Baseline?.Train)}.");
        result.Answer.Add($"dJ/dw1 = {dw1.Gradient:G4} and dJ/dw2 = {dw2.Gradient:G4} differ because x1 and x2 differ: the only differing factor is the input. Same data, same activation, but different weights around a unit give it a different gradient.");

        result.Figures.Add(new LineFigure("weight-trajectories", "Hidden weights from input 1 (w1, w3) during training", "Tied: the two units' lines coincide. Untied: they separate.", "step", "weight",
            [.. tied.Trajectories(0, "tied"), .. untied.Trajectories(0, "untied")]));
        var (untiedMin, _) = Figures.OffDiagonal(untied.Final, 1);
        result.Figures.Add(new HeatmapFigure("unit-similarity", "Cosine similarity of the hidden units' incoming weights",
            $"Incoming weights and bias, on one fixed scale from -1 to 1. Tied: {Setup.G(Figures.OffDiagonal(tied.Final, 1).Min)} everywhere, the top of the scale{(tied.Distinct(1) == 1 ? ": identical units" : "")}. Untied: {Setup.G(untiedMin)} between the two units.",
            [("tied, after training", Figures.UnitSimilarity(tied.Final, 1)), ("untied, after training", Figures.UnitSimilarity(untied.Final, 1))], "cosine"));
        return result;
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-15;

    private static void AddFactorTable(ExperimentResult result, string title, string nameA, ChainExplanation a, string nameB, ChainExplanation b)
    {
        var differs = ChainRule.Differences(a, b);
        var table = new ResultTable(title, ["factor", nameA, nameB, ""], []);
        for (int i = 0; i < a.Factors.Count; i++)
            table.Rows.Add([a.Factors[i].Role, Setup.G(a.Factors[i].Value), Setup.G(b.Factors[i].Value), differs[i] == true ? "differs" : "same"]);
        table.Rows.Add(["product = dJ/dw", Setup.G(a.Product), Setup.G(b.Product), a.Product != b.Product ? "differs" : "same"]);
        result.Tables.Add(table);
    }
}
