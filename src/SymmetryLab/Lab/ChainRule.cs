using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>One factor of a chain-rule product. <see cref="Role"/> says what it is, so that two explanations can be compared factor by factor.</summary>
public sealed record Factor(string Name, string Role, double Value);

/// <summary>One path from a weight to the cost, through one unit of the layer above; the gradient sums the paths.</summary>
public sealed record ChainPath(string Via, IReadOnlyList<Factor> Factors, double Product);

/// <summary>
/// dJ/dw for one weight or bias as the chain rule builds it. <see cref="Factors"/> multiply to the
/// gradient; when several units above receive the weight's unit, <see cref="Paths"/> lists the terms
/// that add up to it. <see cref="Numeric"/> is the central finite difference of the same J.
/// </summary>
/// <remarks>With an L2 penalty the gradient is <see cref="Product"/> plus <see cref="L2Term"/>, (l2/m) w for a weight (0 for a bias).</remarks>
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
    double L2Term = 0);

/// <summary>
/// Explains dJ/dW[l][j,i] with the backpropagation equations of SPEC.md, in float64:
///     dJ/dW[l][j,i] = delta[l][j] * a[l-1][i],   delta[l][j] = g'(z[l][j]) * sum_k W[l+1][k,j] * delta[l+1][k]
/// On one sample every factor is a number and they multiply. On the whole data J is the mean of the
/// samples' costs, so the sample-dependent factors are averaged together; only the outgoing weight,
/// the same for every sample, stays a factor of its own.
/// </summary>
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
        if (!(l2 >= 0 && double.IsFinite(l2))) throw new ArgumentException($"--l2 {l2}: must be >= 0");
        if (!weight.Fits(network, out string? why)) throw new ArgumentException($"{weight}: {why}");
        if (data.Features != network.Inputs) throw new DataException($"{data.Name} has {data.Features} features but the model takes {network.Inputs} inputs");
        if (sample is { } k && (k < 0 || k >= data.Rows)) throw new ArgumentException($"--sample {k + 1}: {data.Name} has samples 1 to {data.Rows}");

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
            ? (OutputFactors(net, x, loss, weight, m), null)
            : HiddenFactors(net, x, loss, weight, m, notes);
        double product = paths is null ? factors.Aggregate(1.0, (p, f) => p * f.Value) : paths.Sum(p => p.Product);

        if (m > 1) notes.Insert(0, $"J is the mean cost over the {m} samples, so dJ/dw is the mean of each sample's product: the factors that change from sample to sample are averaged together (use --sample K to see every factor of one sample).");
        if (paths is not null) notes.Add($"Unit {weight.Unit} of layer {weight.Layer} feeds {paths.Count} units of layer {weight.Layer + 1}, so the gradient is a sum over {paths.Count} paths, one product per path.");

        if (l2 > 0) notes.Add($"With --l2 {l2:G}, J adds l2/(2m) sum W^2, so dJ/dw = (the chain rule's {(paths is null ? "product" : "sum")}) + (l2/m) w{(weight.IsBias ? "; a bias is not penalized" : "")}.");
        double numeric = GradientCheck.Numeric(values, index, () => net.Cost(x, t, m, loss, pool, l2));

        return new ChainExplanation(weight, gradient, numeric, product, factors, paths, sample is { } s1 ? s1 + 1 : null, m, notes, l2Term);
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

    /// <summary>Slope g'(z[l][j]) of sample s.</summary>
    private static double Slope(DenseLayer<double> layer, int s, int j) =>
        ActivationFunctions.Derivative(layer.Activation, layer.Z[s * layer.Units + j], layer.A[s * layer.Units + j]);

    /// <summary>
    /// Output layer: dJ/dW[L][k,j] = delta[L][k] * a[L-1][j]. With bce or ce the output error is a - t
    /// (the activation's slope cancels); with mse it is 2(a - t) times g'(z).
    /// </summary>
    private static List<Factor> OutputFactors(Network<double> net, double[] x, Loss loss, ParameterRef w, int m)
    {
        var output = net.Output;
        int L = net.Layers.Count, k = w.Unit - 1, K = output.Units;
        if (m > 1)
        {
            double mean = 0;
            for (int s = 0; s < m; s++) mean += output.Delta[s * K + k] * InputOf(net, x, w, s); // Delta holds the 1/m
            return [new Factor($"mean over samples of delta{L}[{w.Unit}] * {InputName(net, w)}", "mean", mean)];
        }
        var factors = new List<Factor>();
        string per = K > 1 ? $" / {K} outputs" : "";
        if (LossFunctions.IsFused(loss) || output.Activation == Activation.Softmax)
            factors.Add(new Factor($"delta{L}[{w.Unit}] = dJ/dz{L}[{w.Unit}] = a - t{(loss == Loss.Bce ? per : "")} (the output error; the {output.Activation.Name()}'s slope cancels against {loss.Name()})", "error", output.Delta[k]));
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
    private static (List<Factor>, List<ChainPath>?) HiddenFactors(Network<double> net, double[] x, Loss loss, ParameterRef w, int m, List<string> notes)
    {
        int l = w.Layer, j = w.Unit - 1;
        var layer = net.Layers[l - 1];
        var above = net.Layers[l];
        int K = above.Units;
        bool aboveIsOutput = l + 1 == net.Layers.Count;
        string slopeName = $"g'(z{l}[{w.Unit}]) (slope of {layer.Activation.Name()}{(m == 1 ? $" at z = {layer.Z[j]:G6}" : "")})";

        // Per path k: the sample-dependent part delta[l+1][k] * g'(z[l][j]) * a[l-1][i], averaged over the samples (Delta holds the 1/m).
        double Rest(int k)
        {
            double sum = 0;
            for (int s = 0; s < m; s++) sum += above.Delta[s * K + k] * Slope(layer, s, j) * InputOf(net, x, w, s);
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
                factors.Add(new Factor($"delta{l + 1}[{k + 1}] = dJ/dz{l + 1}[{k + 1}] ({what})", "upstream", above.Delta[k]));
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
            for (int k = 0; k < K; k++) upstream += above.Weight(k, j) * above.Delta[k];
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
