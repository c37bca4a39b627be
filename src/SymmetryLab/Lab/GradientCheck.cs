using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// Backpropagation checked against central finite differences, in float64, with the fourth-order
/// central stencil numeric = (-J(w+2h) + 8 J(w+h) - 8 J(w-h) + J(w-2h)) / 12h.
/// </summary>
/// <remarks>
/// A finite difference is only as good as the cost it differences: every evaluation of J carries
/// rounding, and the stencil divides (1 + 8 + 8 + 1)/12 of it by h. That rounding is measured, not
/// assumed (<see cref="MeasuredNoise"/>: J's second differences over steps far too small for its
/// curvature to show), and it sets the noise floor, <see cref="NoiseFloor"/> = 4 * 1.5 * noise / h (a
/// few evaluations only sample the rounding: 4 covers the largest seen in the tests' reference runs). A
/// gradient is judged by the relative error |a - n| / max(|a|, |n|) only when the floor is below the
/// tolerance times the gradient; smaller ones cannot be judged relatively (at |g| = 1e-13 the finite
/// difference is pure noise), so they are counted apart and compared in absolute terms: a difference
/// beyond the floor is still a real disagreement.
/// </remarks>
public static class GradientCheck
{
    /// <summary>What the check found.</summary>
    /// <param name="MaxRelativeError">Largest relative error among the judged parameters; null when none could be judged.</param>
    /// <param name="Parameters">Parameters checked (all, or an evenly spaced <c>limit</c> of them).</param>
    /// <param name="Judged">Parameters whose gradient is large enough for finite differences to judge at <c>tolerance</c>.</param>
    /// <param name="Worst">The judged parameter with the largest relative error (null when none was judged).</param>
    /// <param name="Analytic">Backpropagation's gradient of <paramref name="Worst"/>.</param>
    /// <param name="Numeric">The finite difference of <paramref name="Worst"/>.</param>
    /// <param name="Cost">J at the model's weights.</param>
    /// <param name="NoiseFloor">The error rounding alone can put in a finite difference of this cost.</param>
    /// <param name="TooSmall">Parameters whose gradient is below <see cref="NoiseFloor"/> / tolerance.</param>
    /// <param name="MaxTooSmallDifference">Largest |a - n| among those (0 when there are none).</param>
    /// <param name="WorstTooSmall">The parameter where that is, or null.</param>
    /// <param name="BeyondNoise">How many of them differ by more than the noise floor: real disagreements.</param>
    public sealed record Result(
        double? MaxRelativeError, int Parameters, int Judged, ParameterRef? Worst, double Analytic, double Numeric,
        double Cost, double NoiseFloor, int TooSmall, double MaxTooSmallDifference, ParameterRef? WorstTooSmall, int BeyondNoise)
    {
        /// <summary>Every judged gradient within <paramref name="tolerance"/> and every other one within the noise floor.</summary>
        public bool Passed(double tolerance) => (MaxRelativeError ?? 0) <= tolerance && BeyondNoise == 0;

        /// <summary>
        /// Parameters left out of the comparison: a step of the stencil moved some relu or leaky-relu unit's
        /// z across 0 on some row, where the cost has a kink and no difference quotient estimates the
        /// derivative (backpropagation's one-sided value is right; the stencil averages two slopes).
        /// </summary>
        public IReadOnlyList<ParameterRef> AtKinks { get; init; } = [];
    }

    /// <summary>h of the finite-difference stencil (J at w ± h and w ± 2h).</summary>
    public const double Step = 1e-4;

    /// <summary>Probes of <see cref="MeasuredNoise"/> a check makes at most (evenly spaced parameters).</summary>
    public const int NoiseProbes = 8;

    /// <summary>
    /// The rounding noise of J near values[index]: the largest |J(w + j e) - 2 J(w) + J(w - j e)|, j = 1..3,
    /// with e = 2^-40 max(|w|, 1), a step at which J's curvature changes J by far less than one unit in its
    /// last place, so what the second differences show is rounding. (At least 4 ulps of J: where J does
    /// not move at all at that scale, the steps of h still can.)
    /// </summary>
    public static double MeasuredNoise(double[] values, int index, Func<double> cost)
    {
        double original = values[index], e = Math.ScaleB(Math.Max(Math.Abs(original), 1), -40);
        double center = cost(), noise = 4 * Math.ScaleB(Math.Abs(center), -52);
        for (int j = 1; j <= 3; j++)
        {
            values[index] = original + j * e;
            double up = cost();
            values[index] = original - j * e;
            double down = cost();
            noise = Math.Max(noise, Math.Abs(up - 2 * center + down));
        }
        values[index] = original;
        return noise;
    }

    /// <summary>The error rounding alone can put in a finite difference when J carries <paramref name="noise"/>: 4 * 1.5 noise / h.</summary>
    public static double NoiseFloor(double noise) => 4 * 1.5 * noise / Step;

    /// <summary>Whether finite differences can judge a gradient of this size to <paramref name="tolerance"/> relative.</summary>
    public static bool Resolves(double analytic, double numeric, double noiseFloor, double tolerance) =>
        Math.Max(Math.Abs(analytic), Math.Abs(numeric)) * tolerance >= noiseFloor;

    /// <summary>
    /// The analytic gradient of every (or of the first <paramref name="limit"/> evenly spaced) parameter
    /// against its finite-difference estimate. J's larger products are split over all the machine's
    /// cores; the split changes no bit of J, so the result is the same at any thread count.
    /// </summary>
    public static Result Run(Network<double> network, Dataset data, Loss loss, double l2 = 0, int limit = 5000, double tolerance = 1e-5) =>
        Run(network, data, loss, l2, limit, tolerance, null);

    /// <summary>
    /// As the public overload, telling <paramref name="progress"/> before each parameter how many were
    /// compared, of how many, and the share of the work done: on a wide network and many rows each
    /// parameter takes four passes from its unit up, so a first layer's parameter can cost a hundred
    /// times a second layer's, and a count of parameters alone would mislead a forecast.
    /// <paramref name="threads"/> 0 means one per core.
    /// </summary>
    internal static Result Run(Network<double> network, Dataset data, Loss loss, double l2, int limit, double tolerance, Action<int, int, double>? progress, int threads = 0)
    {
        var pool = WorkerPool.ForThreads(threads > 0 ? threads : Environment.ProcessorCount);
        var x = Trainer<double>.ToInputs(network, data);
        var t = data.TargetMatrix(network.Outputs);
        int rows = data.Rows;
        foreach (var layer in network.Layers) layer.EnsureCapacity(rows);
        double cost = network.ComputeGradients(x, t, rows, loss, pool, l2);
        var all = ParameterRef.All(network).ToList();
        var analytic = all.Select(p => { var (_, g, i) = p.Locate(network); return g[i]; }).ToArray();
        double Cost() => network.Cost(x, t, rows, loss, pool, l2);
        double noise = 0;
        int probeStride = Math.Max(1, all.Count / NoiseProbes);
        for (int k = 0; k < all.Count; k += probeStride)
        {
            var (values, _, index) = all[k].Locate(network);
            noise = Math.Max(noise, MeasuredNoise(values, index, Cost));
        }
        double floor = NoiseFloor(noise);
        int stride = Math.Max(1, (all.Count + limit - 1) / limit);
        double? worst = null;
        double worstA = 0, worstN = 0, tooSmallDiff = 0;
        ParameterRef? worstP = null, worstSmall = null;
        int checkedCount = 0, judged = 0, tooSmall = 0, beyond = 0;
        // Which side of 0 each relu (and leaky relu) unit's z is on, row by row, at the model's weights:
        // a stencil step that moves one across is at a kink.
        var layers = network.Layers;
        var kinked = Enumerable.Range(0, layers.Count).Where(l => layers[l].Activation is Engine.Activations.Activation.Relu or Engine.Activations.Activation.LeakyRelu).ToArray();
        Cost();
        var sides = kinked.Select(l => layers[l].Z.AsSpan(0, rows * layers[l].Units).ToArray().Select(z => z > 0).ToArray()).ToArray();
        // A parameter moves its unit alone in its layer (the whole layer for softmax) and the layers above:
        // J is recomputed from there (Network.CostAfterUnitChange, the same bits as a whole pass), and the
        // kinks are looked for there. Its stencil leaves that unit and the layers above perturbed until
        // the next parameter's first evaluation recomputes them: below it, the last one's unit is restored.
        var zColumn = new double[rows];
        var aColumn = new double[rows];
        (int Layer, int Unit)? perturbed = null;
        var atKinks = new List<ParameterRef>();
        int total = (all.Count + stride - 1) / stride;
        // Multiply-adds per row of a pass from a parameter's unit up: its column, then every layer above
        // (softmax: its whole layer).
        var work = Enumerable.Range(0, layers.Count).Select(l =>
            (layers[l].Activation == Engine.Activations.Activation.Softmax ? (double)layers[l].Inputs * layers[l].Units : layers[l].Inputs)
            + layers.Skip(l + 1).Sum(a => (double)a.Inputs * a.Units)).ToArray();
        double workAll = 0, workDone = 0;
        for (int k = 0; k < all.Count; k += stride) workAll += work[all[k].Layer - 1];
        for (int k = 0; k < all.Count; k += stride)
        {
            progress?.Invoke(k / stride, total, workDone / workAll);
            var (values, _, index) = all[k].Locate(network);
            int layer = all[k].Layer - 1, unit = all[k].Unit - 1;
            workDone += work[layer];
            if (perturbed is var (pl, pu) && (pl, pu) != (layer, unit))
            {
                if (pl == layer) network.RecomputeUnit(pl, pu, x, rows, pool, zColumn, aColumn);
                else Cost();
            }
            perturbed = (layer, unit);
            bool crossed = false;
            double numeric = Numeric(values, index, () =>
            {
                double c = network.CostAfterUnitChange(layer, unit, x, t, rows, loss, pool, l2, zColumn, aColumn);
                for (int q = 0; q < kinked.Length && !crossed; q++)
                {
                    int l = kinked[q], units = layers[l].Units;
                    if (l < layer) continue;             // below the parameter: unchanged
                    var z = layers[l].Z;
                    var side = sides[q];
                    if (l == layer)
                        for (int i = unit; i < side.Length && !crossed; i += units) crossed = z[i] > 0 != side[i];
                    else
                        for (int i = 0; i < side.Length && !crossed; i++) crossed = z[i] > 0 != side[i];
                }
                return c;
            });
            if (crossed) { atKinks.Add(all[k]); continue; }
            checkedCount++;
            if (Resolves(analytic[k], numeric, floor, tolerance))
            {
                judged++;
                double error = RelativeError(analytic[k], numeric);
                if (worst is null || error >= worst) { worst = error; worstP = all[k]; worstA = analytic[k]; worstN = numeric; }
                continue;
            }
            tooSmall++;
            double difference = Math.Abs(analytic[k] - numeric);
            if (difference > floor) beyond++;
            if (worstSmall is null || difference >= tooSmallDiff) { tooSmallDiff = difference; worstSmall = all[k]; }
        }
        return new Result(worst, checkedCount, judged, worstP, worstA, worstN, cost, floor, tooSmall, tooSmallDiff, worstSmall, beyond) { AtKinks = atKinks };
    }

    /// <summary>dJ/dw by the fourth-order central stencil, moving values[index] and putting it back.</summary>
    public static double Numeric<T>(T[] values, int index, Func<double> cost) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T original = values[index];
        double CostAt(double offset)
        {
            values[index] = original + T.CreateChecked(offset);
            return cost();
        }
        double numeric = (-CostAt(2 * Step) + 8 * CostAt(Step) - 8 * CostAt(-Step) + CostAt(-2 * Step)) / (12 * Step);
        values[index] = original;
        return numeric;
    }

    /// <summary>|a - n| / max(|a|, |n|): how far apart the two are, as a fraction of the larger (0 when both are 0).</summary>
    public static double RelativeError(double a, double n)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(n));
        return scale == 0 ? 0 : Math.Abs(a - n) / scale;
    }
}
