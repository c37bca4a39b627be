using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>One point of the straight path theta(t) = theta_A + t (theta_B - theta_A).</summary>
public sealed record PathPoint(double T, double Loss, double? Accuracy);

/// <summary>
/// The loss along the path and its barrier: the largest excess of the path's loss over the chord
/// between its end losses, max_t [ L(t) - ((1 - t) L(0) + t L(1)) ] (0 when the path never rises above
/// the chord, as in a convex bowl); <see cref="BarrierT"/> is where it is reached.
/// </summary>
public sealed record LossPath(IReadOnlyList<PathPoint> Points, double Barrier, double BarrierT);

/// <summary>
/// Linear mode connectivity: evaluate networks on the straight line between two parameter vectors.
/// Two runs that found the same solution up to a reordering of units show a barrier before alignment
/// (the average of two reorderings is neither) and little or none after.
/// </summary>
public static class LossBarrier
{
    public const int DefaultPoints = 25;

    /// <summary>The loss a model's output implies (as gradcheck): one sigmoid output: bce; softmax: ce; otherwise mse.</summary>
    public static Loss LossFor(Network<double> network) => network.Output.Activation switch
    {
        Activation.Sigmoid when network.Outputs == 1 => Loss.Bce,
        Activation.Softmax => Loss.Ce,
        _ => Loss.Mse,
    };

    /// <summary>Loss and accuracy at <paramref name="points"/> evenly spaced t in [0, 1], in float64.</summary>
    public static LossPath Along(Network<double> a, Network<double> b, Dataset data, Loss loss, int points = DefaultPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        UnitAlignment.CheckSameShape(a, b, "model A", "model B");
        CheckSameNormalization(a, b, "model A", "model B");
        var path = a.Clone();
        var evaluator = new Evaluator<double>(path, data, loss, WorkerPool.ForThreads(1));
        var result = new PathPoint[points];
        for (int k = 0; k < points; k++)
        {
            double t = (double)k / (points - 1);
            Interpolate(a, b, t, path);
            var (l, acc) = evaluator.Evaluate();
            result[k] = new PathPoint(t, l, acc);
        }
        var (barrier, at) = Barrier(result);
        return new LossPath(result, barrier, at);
    }

    /// <summary>max over the points of L(t) - ((1 - t) L(0) + t L(1)); the ends contribute 0, so it is never negative.</summary>
    public static (double Barrier, double T) Barrier(IReadOnlyList<PathPoint> points)
    {
        double first = points[0].Loss, last = points[^1].Loss;
        double best = 0, at = 0;
        foreach (var p in points)
        {
            // The chord as L(0) + t (L(1) - L(0)): exactly L(0) everywhere when the ends are equal.
            double excess = p.Loss - (first + p.T * (last - first));
            if (excess > best) { best = excess; at = p.T; }
        }
        return (best, at);
    }

    /// <summary>
    /// Writes theta_A + t (theta_B - theta_A) into <paramref name="into"/>, and exactly theta_B at t = 1.
    /// This form, rather than (1 - t) theta_A + t theta_B, gives exactly theta_A at every t when A = B.
    /// </summary>
    public static void Interpolate(Network<double> a, Network<double> b, double t, Network<double> into)
    {
        for (int l = 0; l < a.Layers.Count; l++)
        {
            Lerp(a.Layers[l].Weights, b.Layers[l].Weights, t, into.Layers[l].Weights);
            Lerp(a.Layers[l].Biases, b.Layers[l].Biases, t, into.Layers[l].Biases);
        }
    }

    private static void Lerp(double[] x, double[] y, double t, double[] into)
    {
        for (int i = 0; i < x.Length; i++) into[i] = t == 1 ? y[i] : x[i] + t * (y[i] - x[i]);
    }

    /// <summary>
    /// Throws <see cref="DataException"/> naming B when the two models normalize their inputs differently:
    /// points between them would mix two input scales, so there is no loss path to measure. Cheap, so
    /// callers check it before any alignment.
    /// </summary>
    public static void CheckSameNormalization<T>(Network<T> a, Network<T> b, string nameA, string nameB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (SameNormalization(a.Normalization, b.Normalization)) return;
        string how = (a.Normalization, b.Normalization) switch
        {
            (null, _) => $"{nameB} z-scores them, {nameA} does not",
            (_, null) => $"{nameA} z-scores them, {nameB} does not",
            var (x, y) => Difference(x, y),
        };
        throw new DataException($"{nameB}: normalizes its inputs differently from {nameA} ({how}), so there is no straight line between them; "
            + "train both with the same normalization on the same rows (runs that hold out a fraction of the data need the same split seed)");
    }

    private static string Difference(Normalization x, Normalization y)
    {
        if (x.Mean.Length != y.Mean.Length) return $"over {x.Mean.Length} and {y.Mean.Length} inputs";
        for (int i = 0; i < x.Mean.Length; i++)
            if (x.Mean[i] != y.Mean[i] || x.Std[i] != y.Std[i])
                return $"input {i + 1}: mean {x.Mean[i]:G6} and {y.Mean[i]:G6}, std {x.Std[i]:G6} and {y.Std[i]:G6}";
        return "the same numbers";
    }

    private static bool SameNormalization(Normalization? x, Normalization? y) =>
        (x is null && y is null) || (x is not null && y is not null && x.Mean.SequenceEqual(y.Mean) && x.Std.SequenceEqual(y.Std));
}
