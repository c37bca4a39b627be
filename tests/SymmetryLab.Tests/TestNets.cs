using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests;

/// <summary>Small networks and data sets made from a seed, for tests.</summary>
internal static class TestNets
{
    public static Network<T> Random<T>(int inputs, (int, Activation)[] layers, ulong seed = 7, double scale = 0.5) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = new Network<T>(inputs, layers);
        var rng = new Rng(seed);
        foreach (var layer in net.Layers)
        {
            for (int i = 0; i < layer.Weights.Length; i++) layer.Weights[i] = T.CreateChecked(rng.NextNormal(0, scale));
            for (int i = 0; i < layer.Biases.Length; i++) layer.Biases[i] = T.CreateChecked(rng.NextNormal(0, 0.1));
        }
        return net;
    }

    /// <summary>Rows of N(0,1) features; targets: 0/1 (classes 2), 0..K-1 (classes K), or real numbers (classes 0).</summary>
    public static Dataset Data(int rows, int features, int classes, ulong seed = 11)
    {
        var rng = new Rng(seed);
        var x = new double[rows * features];
        var y = new double[rows];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        for (int r = 0; r < rows; r++)
            y[r] = classes == 0 ? rng.NextNormal(1, 2) : rng.NextInt(classes);
        if (classes > 0) for (int k = 0; k < classes && k < rows; k++) y[k] = k; // every class present
        return new Dataset("test", x, y, features);
    }

    public static T[] Convert<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        values.Select(v => T.CreateChecked(v)).ToArray();

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "symlab-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteCsv(Dataset d, string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine(string.Join(",", d.FeatureNames.Append("y")));
        for (int r = 0; r < d.Rows; r++)
            w.WriteLine(string.Join(",", d.Row(r).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(d.Y[r].ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return path;
    }

    public static InitScheme Scheme(string weights, string biases = "zeros")
    {
        Assert.True(InitScheme.TryParse(weights, biases, out var scheme, out var error), error);
        return scheme!;
    }
}
