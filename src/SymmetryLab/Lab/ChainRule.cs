using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>One factor of a chain-rule product. <see cref="Role"/> says what it is, so that two explanations can be compared factor by factor.</summary>
/// <param name="Name">The factor as the equations write it: delta[2][1], a[1][2], g'(z[1][1]), ...</param>
/// <param name="Role">What it is (the same role in two explanations can be compared).</param>
/// <param name="Value">Its value (float64).</param>
public sealed record Factor(string Name, string Role, double Value);

/// <summary>One path from a weight to the cost, through one unit of the layer above; the gradient sums the paths.</summary>
/// <param name="Via">The unit of the layer above the path goes through.</param>
/// <param name="Factors">The factors along the path.</param>
/// <param name="Product">Their product: the path's term of the gradient.</param>
public sealed record ChainPath(string Via, IReadOnlyList<Factor> Factors, double Product);

/// <summary>
/// dJ/dw for one weight or bias as the chain rule builds it. <see cref="Factors"/> multiply to the
/// gradient; when several units above receive the weight's unit, <see cref="Paths"/> lists the terms
/// that add up to it. <see cref="Numeric"/> is the central finite difference of the same J.
/// </summary>
/// <remarks>With an L2 penalty the gradient is <see cref="Product"/> plus <see cref="L2Term"/>, (l2/m) w for a weight (0 for a bias).</remarks>
/// <param name="Weight">The weight or bias explained.</param>
/// <param name="Gradient">dJ/dw as backpropagation computes it (L2 term included).</param>
/// <param name="Numeric">The central finite difference of the same J.</param>
/// <param name="Product">The product of <paramref name="Factors"/> (the paths' sum when there are several).</param>
/// <param name="Factors">The chain rule's factors, cost side first.</param>
/// <param name="Paths">The terms through each unit of the layer above, when there are several; otherwise null.</param>
/// <param name="Sample">The one sample (1-based) the explanation is for; null: the mean over the batch.</param>
/// <param name="Samples">The samples J averages over.</param>
/// <param name="Notes">Remarks a learner needs to read the numbers (a fused loss, a kink of relu, ...).</param>
/// <param name="L2Term">(l2/m) w for a weight, 0 for a bias or without L2.</param>
/// <param name="NoiseFloor">The finite difference's measured rounding noise (see <see cref="GradientCheck.NoiseFloor"/>).</param>
public sealed record ChainExplanation(
    ParameterRef Weight,
    double Gradient,
    double Numeric,
    double Product,
    IReadOnlyList<Factor> Factors,
    IReadOnlyList<ChainPath>? Paths,
    int? Sample,
    int Samples,
    IReadOnlyList<string> Notes,
    double L2Term = 0,
    double NoiseFloor = 0)
{
    /// <summary>Whether the finite difference resolves this gradient to 1e-3 relative (see <see cref="GradientCheck.NoiseFloor"/>).</summary>
    public bool NumericResolves => GradientCheck.Resolves(Gradient, Numeric, NoiseFloor, 1e-3);
}

/// <summary>
/// Explains dJ/dW[l][j,i] with the backpropagation equations of SPEC.md, in float64:
///     dJ/dW[l][j,i] = delta[l][j] * a[l-1][i],   delta[l][j] = g'(z[l][j]) * sum_k W[l+1][k,j] * delta[l+1][k]
/// On one sample every factor is a number and they multiply. On the whole data J is the mean of the
/// samples' costs, so the sample-dependent factors are averaged together; only the outgoing weight,
/// the same for every sample, stays a factor of its own.
/// </summary>
/// <remarks>
/// The factors are computed from z, not from a = g(z): g'(z) of sigmoid and tanh and the bce output
/// error a - t keep every digit in the tails, where the engine's a(1 - a), 1 - a^2 and a - t lose them
/// (a sigmoid output rounds to 1 in float64 once z passes 36.7). Where the two disagree the
/// explanation says which to believe.
/// </remarks>
public static class ChainRule
{

    /// <summary>Per factor of <paramref name="a"/>: whether <paramref name="b"/> has a different value in the same role (null: nothing to compare).</summary>
    public static bool?[] Differences(ChainExplanation a, ChainExplanation? b)
    {
        var result = new bool?[a.Factors.Count];
        if (b is null || b.Factors.Count != a.Factors.Count) return result;
        for (int i = 0; i < result.Length; i++)
            if (a.Factors[i].Role == b.Factors[i].Role) result[i] = a.Factors[i].Value != b.Factors[i].Value;
        return result;
    }

    /// <summary>
    /// Explains <paramref name="weight"/>; <paramref name="sample"/> is the 0-based row to explain alone (J is
    /// then that sample's cost), or null for the mean over all rows; <paramref name="l2"/> adds the penalty
    /// l2/(2m) sum W^2 to J, as training does.
    /// </summary>
    public static ChainExplanation Explain(Network<double> network, Dataset data, Loss loss, ParameterRef weight, int? sample = null, double l2 = 0)
    {
        if (!(l2 >= 0 && double.IsFinite(l2))) throw new ArgumentOutOfRangeException(nameof(l2), l2, "the L2 penalty must be a finite number >= 0");
        if (!weight.Fits(network, out string? why)) throw new ArgumentException($"{weight}: {why}");
        if (data.Features != network.Inputs) throw new DataException($"{data.Name} has {data.Features} features but the model takes {network.Inputs} inputs");
        if (sample is { } k && (k < 0 || k >= data.Rows)) throw new ArgumentOutOfRangeException(nameof(sample), k, $"{data.Name} has rows 0 to {data.Rows - 1}");

        var rows = sample is { } only ? data.Subset([only]) : data;
        int m = rows.Rows;
        var net = network.Clone(); // the caller's network is left as it was
        var pool = WorkerPool.ForThreads(1);
        var x = Trainer<double>.ToInputs(net, rows);
        var t = rows.TargetMatrix(net.Outputs);
        net.ComputeGradients(x, t, m, loss, pool, l2);
        var (values, gradients, index) = weight.Locate(net);
        double gradient = gradients[index];
        // The penalty's share: d/dw of l2/(2m) sum W^2 is (l2/m) w, for weights only.
        double l2Term = l2 > 0 && !weight.IsBias ? l2 / m * values[index] : 0;

        var notes = new List<string>();
        var (factors, paths) = weight.Layer == net.Layers.Count
            ? (OutputFactors(net, x, t, loss, weight, m), null)
            : HiddenFactors(net, x, t, loss, weight, m);
        double product = paths is null ? factors.Aggregate(1.0, (p, f) => p * f.Value) : paths.Sum(p => p.Product);

        if (m > 1) notes.Insert(0, $"J is the mean cost over the {m} samples, so dJ/dw is the mean of each sample's product: the factors that change from sample to sample are averaged together (use --sample K to see every factor of one sample).");
        if (paths is not null) notes.Add($"Unit {weight.Unit} of layer {weight.Layer} feeds {paths.Count} units of layer {weight.Layer + 1}, so the gradient is a sum over {paths.Count} paths, one product per path.");

        if (l2 > 0) notes.Add($"With an L2 penalty of {l2:G}, J adds l2/(2m) sum W^2, so dJ/dw = (the chain rule's {(paths is null ? "product" : "sum")}) + (l2/m) w{(weight.IsBias ? "; a bias is not penalized" : "")}.");
        double fromFactors = product + l2Term;
        if (GradientCheck.RelativeError(fromFactors, gradient) > 1e-9)
            notes.Add($"Backpropagation gives {gradient:G6} and the factors {fromFactors:G6}: the engine takes the slope g'(z) from the unit's output a (a(1 - a), 1 - a^2) and the output error as a - t, which lose digits where a is within about 1e-8 of its limits (a saturated unit); the factors here are computed from z and keep them, so the factors' value is the more accurate one.");
        double Cost() => net.Cost(x, t, m, loss, pool, l2);
        double numeric = GradientCheck.Numeric(values, index, Cost);
        double noise = GradientCheck.MeasuredNoise(values, index, Cost), floor = GradientCheck.NoiseFloor(noise);
        var explanation = new ChainExplanation(weight, gradient, numeric, product, factors, paths, sample is { } s1 ? s1 + 1 : null, m, notes, l2Term, floor);
        double cost = Cost();
        if (!double.IsFinite(cost))
            notes.Add($"J = {cost:G6} here, so no finite difference can check this gradient: the costs it would subtract are not finite numbers.");
        else if (!double.IsFinite(noise))
            notes.Add($"J = {cost:G6} here but is not finite a small step away, so no finite difference can check this gradient.");
        else if (!explanation.NumericResolves)
        {
            double ratio = gradient == 0 ? double.PositiveInfinity : floor / Math.Abs(gradient);
            string verdict = ratio >= 1
                ? $"more than the gradient itself: its value, {numeric:G4}, is noise, and its disagreement with backpropagation says nothing about either"
                : $"{ratio.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} of this gradient: it checks backpropagation only to that accuracy";
            notes.Add($"The finite difference is too coarse for a gradient this small: J = {cost:G6} carries rounding of about {noise:G2} (measured from J's second differences over tiny steps of the weight), and the stencil divides it by h = {GradientCheck.Step:G}, so rounding alone puts up to about +-{floor:G2} into the estimate, {verdict}.");
        }
        return explanation;
    }

    /// <summary>sigma(z) without overflow or cancellation on either side of 0.</summary>
    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>
    /// delta of output unit k on sample s, dJ/dz: for bce on a sigmoid, (sigma(z) - t)/m from z (with
    /// t = 1 it is -sigma(-z)/m, which a - t rounds to 0 once a rounds to 1); otherwise the engine's.
    /// </summary>
    private static double OutputDelta(Network<double> net, double[] t, Loss loss, int s, int k, int m)
    {
        var output = net.Output;
        if (loss != Loss.Bce) return output.Delta[s * output.Units + k];
        double z = output.Z[s * output.Units + k];
        return (t[s * output.Units + k] == 1 ? -Sigmoid(-z) : Sigmoid(z)) / m;
    }

    /// <summary>a[l-1][i] of each sample: the input x_i for layer 1, 1 for a bias.</summary>
    private static double InputOf(Network<double> net, double[] x, ParameterRef w, int s)
    {
        if (w.IsBias) return 1;
        int i = w.Input!.Value - 1;
        return w.Layer == 1 ? x[s * net.Inputs + i] : net.Layers[w.Layer - 2].A[s * net.Layers[w.Layer - 2].Units + i];
    }

    private static string InputName(Network<double> net, ParameterRef w) =>
        w.IsBias ? "1 (the input of a bias)"
        : w.Layer == 1 ? $"x{w.Input} (input {w.Input}{(net.Normalization is null ? "" : ", normalized")})"
        : $"a{w.Layer - 1}[{w.Input}] (output of unit {w.Input} of layer {w.Layer - 1})";

    /// <summary>
    /// Slope g'(z[l][j]) of sample s, from z: sigmoid'(z) = e/(1 + e)^2 with e = exp(-|z|), tanh'(z) =
    /// 4e/(1 + e)^2 with e = exp(-2|z|); a(1 - a) and 1 - a^2 cancel to few or no digits in the tails.
    /// </summary>
    private static double Slope(DenseLayer<double> layer, int s, int j)
    {
        double z = layer.Z[s * layer.Units + j];
        switch (layer.Activation)
        {
            case Activation.Sigmoid:
                {
                    double e = Math.Exp(-Math.Abs(z));
                    return e / ((1 + e) * (1 + e));
                }
            case Activation.Tanh:
                {
                    double e = Math.Exp(-2 * Math.Abs(z));
                    return 4 * e / ((1 + e) * (1 + e));
                }
            default:
                return ActivationFunctions.Derivative(layer.Activation, z, layer.A[s * layer.Units + j]);
        }
    }

    /// <summary>
    /// Output layer: dJ/dW[L][k,j] = delta[L][k] * a[L-1][j]. With bce or ce the output error is a - t
    /// (the activation's slope cancels); with mse it is 2(a - t) times g'(z).
    /// </summary>
    private static List<Factor> OutputFactors(Network<double> net, double[] x, double[] t, Loss loss, ParameterRef w, int m)
    {
        var output = net.Output;
        int L = net.Layers.Count, k = w.Unit - 1, K = output.Units;
        if (m > 1)
        {
            double mean = 0;
            for (int s = 0; s < m; s++) mean += OutputDelta(net, t, loss, s, k, m) * InputOf(net, x, w, s); // the delta holds the 1/m
            return [new Factor($"mean over samples of delta{L}[{w.Unit}] * {InputName(net, w)}", "mean", mean)];
        }
        var factors = new List<Factor>();
        string per = K > 1 ? $" / {K} outputs" : "";
        if (LossFunctions.IsFused(loss) || output.Activation == Activation.Softmax)
            factors.Add(new Factor($"delta{L}[{w.Unit}] = dJ/dz{L}[{w.Unit}] = a - t{(loss == Loss.Bce ? per : "")} (the output error; the {output.Activation.Name()}'s slope cancels against {loss.Name()})", "error", OutputDelta(net, t, loss, 0, k, 1)));
        else
        {
            factors.Add(new Factor($"dJ/da{L}[{w.Unit}] = 2(a - t){per} (derivative of the squared error)", "error", output.DA[k]));
            factors.Add(new Factor($"g'(z{L}[{w.Unit}]) (slope of {output.Activation.Name()} at z = {output.Z[k]:G6})", "output-slope", Slope(output, 0, k)));
        }
        factors.Add(new Factor(InputName(net, w), "input", InputOf(net, x, w, 0)));
        return factors;
    }

    /// <summary>
    /// Hidden layer l: dJ/dW[l][j,i] = (sum_k W[l+1][k,j] delta[l+1][k]) * g'(z[l][j]) * a[l-1][i];
    /// one path per unit k of layer l+1.
    /// </summary>
    private static (List<Factor>, List<ChainPath>?) HiddenFactors(Network<double> net, double[] x, double[] t, Loss loss, ParameterRef w, int m)
    {
        int l = w.Layer, j = w.Unit - 1;
        var layer = net.Layers[l - 1];
        var above = net.Layers[l];
        int K = above.Units;
        bool aboveIsOutput = l + 1 == net.Layers.Count;
        string slopeName = $"g'(z{l}[{w.Unit}]) (slope of {layer.Activation.Name()}{(m == 1 ? $" at z = {layer.Z[j]:G6}" : "")})";

        double Up(int s, int k) => aboveIsOutput ? OutputDelta(net, t, loss, s, k, m) : above.Delta[s * K + k];

        // Per path k: the sample-dependent part delta[l+1][k] * g'(z[l][j]) * a[l-1][i], averaged over the samples (Delta holds the 1/m).
        double Rest(int k)
        {
            double sum = 0;
            for (int s = 0; s < m; s++) sum += Up(s, k) * Slope(layer, s, j) * InputOf(net, x, w, s);
            return sum;
        }

        List<Factor> PathFactors(int k)
        {
            var outgoing = new Factor($"W{l + 1}[{k + 1},{w.Unit}] (outgoing weight to unit {k + 1} of layer {l + 1}{(m > 1 ? ", the same for every sample" : "")})", "outgoing", above.Weight(k, j));
            if (m > 1)
                return [outgoing, new Factor($"mean over samples of delta{l + 1}[{k + 1}] * {slopeName} * {InputName(net, w)}", "mean", Rest(k))];
            var factors = new List<Factor>();
            if (aboveIsOutput && !LossFunctions.IsFused(loss) && above.Activation != Activation.Softmax)
            {
                factors.Add(new Factor($"dJ/da{l + 1}[{k + 1}] = 2(a - t){(K > 1 ? $" / {K} outputs" : "")} (derivative of the squared error)", "error", above.DA[k]));
                factors.Add(new Factor($"g'(z{l + 1}[{k + 1}]) (slope of {above.Activation.Name()} at z = {above.Z[k]:G6})", "output-slope", Slope(above, 0, k)));
            }
            else
            {
                string what = aboveIsOutput ? $"the output error a - t; the {above.Activation.Name()}'s slope cancels against {loss.Name()}" : "the upstream delta, itself built by the chain rule from the layers above";
                factors.Add(new Factor($"delta{l + 1}[{k + 1}] = dJ/dz{l + 1}[{k + 1}] ({what})", "upstream", Up(0, k)));
            }
            factors.Add(outgoing);
            factors.Add(new Factor(slopeName, "slope", Slope(layer, 0, j)));
            factors.Add(new Factor(InputName(net, w), "input", InputOf(net, x, w, 0)));
            return factors;
        }

        if (K == 1) return (PathFactors(0), null);

        var paths = Enumerable.Range(0, K).Select(k =>
        {
            var f = PathFactors(k);
            return new ChainPath($"unit {k + 1} of layer {l + 1}", f, f.Aggregate(1.0, (p, v) => p * v.Value));
        }).ToList();
        List<Factor> total;
        if (m == 1)
        {
            double upstream = 0;
            for (int k = 0; k < K; k++) upstream += above.Weight(k, j) * Up(0, k);
            total =
            [
                new Factor($"dJ/da{l}[{w.Unit}] = sum over k of W{l + 1}[k,{w.Unit}] * delta{l + 1}[k] ({K} paths)", "upstream-sum", upstream),
                new Factor(slopeName, "slope", Slope(layer, 0, j)),
                new Factor(InputName(net, w), "input", InputOf(net, x, w, 0)),
            ];
        }
        else
        {
            total = [new Factor($"sum over the {K} paths of W{l + 1}[k,{w.Unit}] * mean over samples of delta{l + 1}[k] * g'(z{l}[{w.Unit}]) * {InputName(net, w)}", "sum", paths.Sum(p => p.Product))];
        }
        return (total, paths);
    }
}
