using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab;

/// <summary>
/// What <c>symlab compare</c> reports: the alignment of B to A and, with data, the loss along the
/// straight line from A to B before and after alignment (the curves a report can plot), plus the
/// activation matching for comparison with the weight matching.
/// </summary>
/// <param name="Alignment">The alignment of B to A.</param>
/// <param name="Before">The loss along the line from A to B; null without data.</param>
/// <param name="After">The loss along the line from A to B aligned; null without data.</param>
/// <param name="Loss">The loss measured (the one asked for, else the one A's output implies); null without data.</param>
/// <param name="ActivationPermutations">Per hidden layer, the pairing activation matching gives (with weight matching, computed in the same pass for comparison); null without data.</param>
public sealed record ModelComparison(
    AlignmentResult Alignment,
    LossPath? Before,
    LossPath? After,
    Loss? Loss,
    IReadOnlyList<int[]>? ActivationPermutations)
{
    /// <summary>
    /// Aligns B to A and, with <paramref name="data"/>, measures both lines (A to B, A to B aligned) and,
    /// for weight matching, the activation matching, in one pass over the data. The losses are computed
    /// in <paramref name="precision"/> ("float32" or "float64"): the models' own, so that the ends are
    /// what <c>predict</c> reports for each model.
    /// </summary>
    public static ModelComparison Run(Network<double> a, Network<double> b, Dataset? data, MatchMethod method = MatchMethod.Weights,
        double threshold = UnitAlignment.DefaultThreshold, int points = LossBarrier.DefaultPoints, Loss? loss = null, bool flips = true, string precision = "float64")
    {
        if (method == MatchMethod.Activations && data is null) throw new ArgumentException("activation matching needs data", nameof(data));
        if (precision is not ("float32" or "float64")) throw new ArgumentException($"precision {precision}: expected float32 or float64", nameof(precision));
        // What can be refused is refused before the alignment, which is the heavy part.
        UnitAlignment.CheckSameShape(a, b, "model A", "model B");
        if (data is not null) LossBarrier.CheckSameNormalization(a, b, "model A", "model B");
        var alignment = UnitAlignment.Align(a, b, method, data, threshold, flips);
        if (data is null) return new ModelComparison(alignment, null, null, null, null);
        var chosen = loss ?? LossBarrier.LossFor(a);
        var correlation = method == MatchMethod.Weights ? new ActivationCorrelation([.. a.Layers.SkipLast(1).Select(l => l.Units)]) : null;
        Network<double>[] ends = [b, alignment.AlignedB];
        var lines = precision == "float32"
            ? LossBarrier.Lines<float>(a, ends, data, chosen, points, correlation is null ? null : correlation.Add)
            : LossBarrier.Lines<double>(a, ends, data, chosen, points, correlation is null ? null : correlation.Add);
        var byActivations = correlation is null
            ? alignment.Layers.SkipLast(1).Select(l => l.Permutation).ToArray()
            : UnitAlignment.FromCorrelations(a, correlation.Result(), flips).Perms;
        return new ModelComparison(alignment, lines[0], lines[1], chosen, byActivations);
    }

    /// <summary>The curves as CSV: t, loss and accuracy before and after alignment.</summary>
    public string CurveCsv()
    {
        if (Before is null || After is null) throw new InvalidOperationException("no curve without data");
        static string F(double? v) => v is { } x ? x.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";
        var s = new System.Text.StringBuilder("t,loss_before,accuracy_before,loss_after,accuracy_after\n");
        for (int k = 0; k < Before.Points.Count; k++)
            s.Append($"{F(Before.Points[k].T)},{F(Before.Points[k].Loss)},{F(Before.Points[k].Accuracy)},{F(After.Points[k].Loss)},{F(After.Points[k].Accuracy)}\n");
        return s.ToString();
    }
}
