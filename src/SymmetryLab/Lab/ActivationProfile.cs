using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// What every unit does on a data set: z and a = g(z) of each sample (rows x units per layer), from one
/// forward pass in float64 on a copy of the network (the network itself is not touched).
/// </summary>
public sealed class ActivationProfile
{
    /// <summary>A sigmoid or tanh unit is saturated on a sample when its output is beyond this fraction of its range, towards either limit.</summary>
    public const double SaturationLevel = 0.99;
    /// <summary>...and saturated as a unit when that holds on at least this fraction of the samples.</summary>
    public const double SaturatedShare = 0.95;

    private ActivationProfile(int rows, IReadOnlyList<double[]> z, IReadOnlyList<double[]> a, IReadOnlyList<(int Units, Activation Activation)> layers)
    {
        Rows = rows;
        Z = z;
        A = a;
        Layers = layers;
    }

    /// <summary>Samples profiled.</summary>
    public int Rows { get; }
    /// <summary>Per layer, z of every sample (rows x units, row-major).</summary>
    public IReadOnlyList<double[]> Z { get; }
    /// <summary>Per layer, a = g(z) of every sample (rows x units, row-major).</summary>
    public IReadOnlyList<double[]> A { get; }
    /// <summary>Per layer, its width and activation.</summary>
    public IReadOnlyList<(int Units, Activation Activation)> Layers { get; }

    /// <summary>The profile of <paramref name="network"/> on <paramref name="data"/> (normalized as the network says).</summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    public static ActivationProfile Of<T>(Network<T> network, Dataset data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Features != network.Inputs)
            throw new DataException($"{data.Name} has {data.Features} features but the network takes {network.Inputs} inputs");
        var copy = network.Convert<double>();
        var x = Trainer<double>.ToInputs(copy, data);
        copy.Forward(x, data.Rows, WorkerPool.ForThreads(1));
        int n = data.Rows;
        return new ActivationProfile(n,
            copy.Layers.Select(l => l.Z.AsSpan(0, n * l.Units).ToArray()).ToList(),
            copy.Layers.Select(l => l.A.AsSpan(0, n * l.Units).ToArray()).ToList(),
            copy.Layers.Select(l => (l.Units, l.Activation)).ToList());
    }

    /// <summary>Unit j (0-based) of layer index l over the samples.</summary>
    public IEnumerable<double> Activations(int l, int j)
    {
        int units = Layers[l].Units;
        for (int s = 0; s < Rows; s++) yield return A[l][s * units + j];
    }

    /// <summary>ReLU units (1-based) whose z is never positive on the data: they output 0 and get no gradient.</summary>
    public int[] DeadUnits(int l)
    {
        if (Layers[l].Activation != Activation.Relu) return [];
        int units = Layers[l].Units;
        return Enumerable.Range(0, units)
            .Where(j => Enumerable.Range(0, Rows).All(s => Z[l][s * units + j] <= 0))
            .Select(j => j + 1).ToArray();
    }

    /// <summary>The share of samples on which unit j (0-based) of a sigmoid or tanh layer is pinned near a limit; null for other activations.</summary>
    public double? SaturatedFraction(int l, int j)
    {
        var g = Layers[l].Activation;
        if (g is not (Activation.Sigmoid or Activation.Tanh)) return null;
        int pinned = Activations(l, j).Count(a => Math.Abs(g == Activation.Sigmoid ? 2 * a - 1 : a) > SaturationLevel);
        return Rows == 0 ? 0 : (double)pinned / Rows;
    }

    /// <summary>Sigmoid and tanh units (1-based) pinned near a limit on at least <see cref="SaturatedShare"/> of the samples.</summary>
    public int[] SaturatedUnits(int l) =>
        Enumerable.Range(0, Layers[l].Units).Where(j => SaturatedFraction(l, j) >= SaturatedShare).Select(j => j + 1).ToArray();

    /// <summary>Pearson correlation of units a and b (0-based) over the samples; null when either is constant.</summary>
    public double? Correlation(int l, int a, int b)
    {
        var x = Activations(l, a).ToArray();
        var y = Activations(l, b).ToArray();
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int s = 0; s < x.Length; s++)
        {
            sxy += (x[s] - mx) * (y[s] - my);
            sxx += (x[s] - mx) * (x[s] - mx);
            syy += (y[s] - my) * (y[s] - my);
        }
        return sxx == 0 || syy == 0 ? null : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}
