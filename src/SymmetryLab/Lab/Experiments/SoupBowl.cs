using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// Lesson 000's last question: in a 2-feature "soup bowl", would the units still end up different, and
/// would different starts find the same bottom? Ten seeds, compared up to a permutation of units.
/// </summary>
internal sealed class SoupBowl : Experiment
{
    public override string Name => "soup-bowl";
    public override string Title => "Ten seeds in a two-feature bowl: different units every time, the same solutions up to a permutation";
    public override string Question => "Or would the neurons in a 2 feature \"soup bowl\" scenario still end up with different weights somehow?";
    public override string Lesson => "000";

    public override ExperimentResult Run(ExperimentOptions options)
    {
        var (coffee, _) = Setup.Data("coffee");
        int epochs = options.Quick ? 300 : 1000, seeds = 10;
        var adam = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.05, BatchSize = 32, Epochs = epochs };
        var result = NewResult($"coffee roasting (2 features, z-scored), 2-3-1 sigmoid, adam lr 0.05, batch 32, {epochs} epochs, glorot-uniform from seeds 1 to {seeds}; every run compared with run 1 after matching its units (Hungarian assignment, units may also be negated), and the cost measured along the straight line between the two.");

        var runs = new List<WatchedRun>();
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            options.Report($"seed {seed}");
            runs.Add(Setup.Watch(result, $"seed {seed}", new TrainSpec("coffee", [3, 1], Activation.Sigmoid, Activation.Sigmoid, "glorot-uniform", true, adam with { Seed = seed }), coffee));
        }

        var table = new ResultTable($"Each seed against seed 1", ["seed", "distinct units", "final cost", "accuracy (baseline)", "unit of run 1 matched (1, 2, 3)", "distance before", "after matching", "cost barrier before", "after matching"], []);
        var first = runs[0].Final;
        ModelComparison? pair = null;
        int sameSolution = 0;
        bool neverFarther = true, barriersShrink = true;
        for (int s = 0; s < runs.Count; s++)
        {
            var run = runs[s];
            if (s == 0)
            {
                table.Rows.Add(["1", $"{run.Distinct(1)} of 3", Setup.F(run.FinalLoss), Setup.PB(run.FinalAccuracy, run.Baseline?.Train), "1, 2, 3", "0", "0", "0", "0"]);
                continue;
            }
            var c = ModelComparison.Run(first, run.Final, coffee);
            pair ??= c;
            var layer = c.Alignment.Layers[0];
            string matched = string.Join(", ", layer.Permutation.Select((u, j) => layer.Sign[j] < 0 ? $"-{u + 1}" : $"{u + 1}")); // 0-based inside, 1-based for people
            table.Rows.Add([$"{s + 1}", $"{run.Distinct(1)} of 3", Setup.F(run.FinalLoss), Setup.PB(run.FinalAccuracy, run.Baseline?.Train), matched,
                Setup.G(c.Alignment.DistanceBefore), Setup.G(c.Alignment.DistanceAfter), Setup.G(c.Before!.Barrier), Setup.G(c.After!.Barrier)]);
            neverFarther &= c.Alignment.DistanceAfter <= c.Alignment.DistanceBefore + 1e-9;
            barriersShrink &= c.After.Barrier <= c.Before.Barrier + 1e-9;
            if (c.After.Barrier < 0.01) sameSolution++;
        }
        result.Tables.Add(table);

        result.Claim($"all {seeds} runs end with 3 distinct hidden units", runs.All(r => r.Distinct(1) == 3), string.Join(" ", runs.Select(r => r.Distinct(1))));
        result.Claim("no two runs end with the same weights as listed", runs.Select(r => r.Final.Layers[0].Weights[0]).Distinct().Count() == seeds, "first weights all differ");
        result.Claim("matching units never makes two runs farther apart", neverFarther, "distance after <= before for every seed");
        result.Claim("matching units lowers or keeps the cost barrier between runs", barriersShrink, "barrier after <= before for every seed");
        result.Claim("at least one other seed found seed 1's solution up to a permutation (barrier below 0.01 after matching)", sameSolution >= 1, $"{sameSolution} of {seeds - 1} seeds");

        int allDistinct = runs.Count(r => r.Distinct(1) == 3);
        result.Answer.Add($"The units end up different in {(allDistinct == seeds ? "every run" : $"{allDistinct} of {seeds} runs")}: {allDistinct} of {seeds} seeds end with 3 distinct units. Even in a two-feature problem the cost is not one bowl with one bottom: every bottom of a 2-3-1 network's cost comes in 3! x 2^3 = 48 copies, one for every way of listing (and negating) the same three units.");
        // What matching did to run 2's hidden units: reordered, negated, both or neither (each said only when it happened).
        var hidden = pair!.Alignment.Layers[0];
        bool reordered = hidden.Permutation.Where((p, j) => p != j).Any();
        int negated = hidden.Sign.Count(x => x < 0);
        string signs = negated == 1 ? "one of its units negated" : $"{negated} of its units negated";
        string how = (reordered, negated > 0) switch
        {
            (true, true) => $"its units listed in another order and {signs}",
            (true, false) => "its units listed in another order",
            (false, true) => signs,
            _ => "its units already in the same order",
        };
        string verdict = pair.After!.Barrier < 0.01 ? $"the same solution, {how}" : "closer, but not the same solution by the 0.01 criterion";
        result.Answer.Add($"Listed as trained, run 1 and run 2 are {Setup.G(pair.Alignment.DistanceBefore)} apart and the cost on the straight line between them rises up to {Setup.G(pair.Before!.Barrier)} above the chord between the end costs; matched unit to unit they are {Setup.G(pair.Alignment.DistanceAfter)} apart with a barrier of {Setup.G(pair.After.Barrier)}: {verdict}.");
        result.Answer.Add($"{sameSolution} of the other {seeds - 1} seeds found run 1's solution up to the order (and sign) of its units (a cost barrier below 0.01 once matched); the rest ended elsewhere, with a barrier of 0.01 or more even after matching (table).");
        result.Figures.Add(new LineFigure("loss-path", "Cost along the straight line from run 1 to run 2", "t = 0 is run 1, t = 1 is run 2; before and after matching run 2's units to run 1's (order and sign).", "t", "cost (bce)",
            [new Series("as trained", pair.Before.Points.Select(p => p.T).ToArray(), pair.Before.Points.Select(p => p.Loss).ToArray()),
             new Series("units matched", pair.After.Points.Select(p => p.T).ToArray(), pair.After.Points.Select(p => p.Loss).ToArray())]));
        result.Figures.Add(new BoundaryFigure("decision-boundary", "Decision regions of three seeds", "P(good roast) of seeds 1 to 3: three sets of weights, compared above unit by unit.",
            runs.Take(3).Select((r, i) => Figures.Boundary($"seed {i + 1}", r.Final, coffee)).ToList()));
        return result;
    }
}
