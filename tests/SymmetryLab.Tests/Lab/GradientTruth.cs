using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// dJ/dw of a sigmoid network with a bce cost, in <see cref="BigFloat"/> (320 bits): the forward pass,
/// the output error sigma(z) - t and every slope sigma'(z) computed without cancellation, from the
/// network's float64 weights and the inputs the engine feeds it (after the model's normalization). An
/// oracle independent of the engine, good to far more digits than float64 holds.
/// </summary>
internal static class GradientTruth
{
    public static double Of(Network<double> net, Dataset data, ParameterRef p)
    {
        Assert.All(net.Layers, l => Assert.Equal(Activation.Sigmoid, l.Activation));
        Assert.Equal(1, net.Outputs);
        var x = Trainer<double>.ToInputs(net, data);
        int m = data.Rows, L = net.Layers.Count;
        var total = BigFloat.Zero;
        for (int s = 0; s < m; s++)
        {
            var a = new List<BigFloat[]> { Enumerable.Range(0, net.Inputs).Select(i => BigFloat.From(x[s * net.Inputs + i])).ToArray() };
            var z = new List<BigFloat[]>();
            foreach (var layer in net.Layers)
            {
                var zl = new BigFloat[layer.Units];
                for (int j = 0; j < layer.Units; j++)
                {
                    var sum = BigFloat.From(layer.Biases[j]);
                    for (int i = 0; i < layer.Inputs; i++) sum += BigFloat.From(layer.Weight(j, i)) * a[^1][i];
                    zl[j] = sum;
                }
                z.Add(zl);
                a.Add(zl.Select(BigFloat.Sigmoid).ToArray());
            }
            // delta of the output: (sigma(z) - t) / m; then back through each layer with the stable slope.
            var delta = new[] { BigFloat.SigmoidMinus(z[L - 1][0], data.Y[s]) / BigFloat.From(m) };
            for (int l = L - 1; l >= 0; l--)
            {
                if (l == p.Layer - 1)
                {
                    total += p.IsBias ? delta[p.Unit - 1] : delta[p.Unit - 1] * a[l][p.Input!.Value - 1];
                    break;
                }
                var layer = net.Layers[l];
                var below = new BigFloat[layer.Inputs];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    var sum = BigFloat.Zero;
                    for (int j = 0; j < layer.Units; j++) sum += BigFloat.From(layer.Weight(j, i)) * delta[j];
                    below[i] = sum * BigFloat.SigmoidSlope(z[l - 1][i]);
                }
                delta = below;
            }
        }
        return total.ToDouble();
    }
}
