using System.Globalization;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Small helpers the experiments share: data by name, networks from a scheme and a seed, number formats.</summary>
internal static class Setup
{
    public static (Dataset Train, Dataset? Test) Data(string name) => DataSource.Load(name);

    /// <summary>A float64 network with hidden <paramref name="widths"/> (output last), initialized by <paramref name="scheme"/> from <paramref name="seed"/>.</summary>
    public static Network<double> Net(Dataset data, int[] widths, Activation hidden, Activation output, string scheme, ulong seed, bool zscore = false, string biases = "zeros")
    {
        var net = new Network<double>(data.Features, widths.Select((w, i) => (w, i == widths.Length - 1 ? output : hidden)));
        if (zscore) net.Normalization = Normalization.Fit(data.X, data.Rows, data.Features);
        if (!InitScheme.TryParse(scheme, biases, out var init, out var error)) throw new ArgumentException(error);
        init!.Apply(net, Rng.Stream(seed, RngStream.Initialization));
        return net;
    }

    public static string F(double v, int digits = 4) => v.ToString($"F{digits}", CultureInfo.InvariantCulture);
    public static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    public static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "-";

    /// <summary>The smallest Euclidean distance between the incoming vectors (weights and bias) of two units of a layer.</summary>
    public static double MinRowDistance(Network<double> net, int layer)
    {
        var l = net.Layers[layer - 1];
        double best = double.PositiveInfinity;
        for (int a = 0; a < l.Units; a++)
            for (int b = a + 1; b < l.Units; b++)
            {
                double d = Math.Pow(l.Biases[a] - l.Biases[b], 2);
                for (int i = 0; i < l.Inputs; i++) d += Math.Pow(l.Weight(a, i) - l.Weight(b, i), 2);
                best = Math.Min(best, Math.Sqrt(d));
            }
        return best;
    }
}
