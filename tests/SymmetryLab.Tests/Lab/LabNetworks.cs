using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Tests.Lab;

/// <summary>Hand-built networks and data for the lab tests: every number is written here, not produced by the code under test.</summary>
internal static class LabNetworks
{
    /// <summary>A network whose layer l has rows <c>weights[l]</c> (unit j's weights from each input) and <c>biases[l]</c>.</summary>
    public static Network<double> Build(int inputs, params (Activation Activation, double[][] Weights, double[] Biases)[] layers)
    {
        var net = new Network<double>(inputs, layers.Select(l => (l.Weights.Length, l.Activation)));
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = net.Layers[l];
            for (int j = 0; j < layer.Units; j++)
            {
                for (int i = 0; i < layer.Inputs; i++) layer.Weights[j * layer.Inputs + i] = layers[l].Weights[j][i];
                layer.Biases[j] = layers[l].Biases[j];
            }
        }
        return net;
    }

    /// <summary>A data set of the given rows (features then target, one array per row).</summary>
    public static Dataset Rows(params double[][] rows)
    {
        int features = rows[0].Length - 1;
        return new Dataset("hand", rows.SelectMany(r => r[..features]).ToArray(), rows.Select(r => r[features]).ToArray(), features);
    }
}
