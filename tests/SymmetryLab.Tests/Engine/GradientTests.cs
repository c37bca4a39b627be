using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

/// <summary>Backpropagation against central finite differences, in float64, for every activation and loss.</summary>
public class GradientTests
{
    public static TheoryData<Activation, Activation, Loss, double> Combinations()
    {
        var data = new TheoryData<Activation, Activation, Loss, double>();
        Activation[] hidden = [Activation.Linear, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];
        (Activation, Loss)[] outputs =
        [
            (Activation.Sigmoid, Loss.Bce), (Activation.Softmax, Loss.Ce),
            (Activation.Linear, Loss.Mse), (Activation.Sigmoid, Loss.Mse), (Activation.Tanh, Loss.Mse),
            (Activation.Relu, Loss.Mse), (Activation.LeakyRelu, Loss.Mse), (Activation.Softmax, Loss.Mse),
        ];
        foreach (var h in hidden)
            foreach (var (o, loss) in outputs)
                foreach (var l2 in new[] { 0.0, 0.3 })
                    data.Add(h, o, loss, l2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void BackpropAgreesWithFiniteDifferences(Activation hidden, Activation output, Loss loss, double l2)
    {
        int outputs = loss == Loss.Bce ? 1 : 3;
        var net = TestNets.Random<double>(4, [(5, hidden), (4, hidden), (outputs, output)], seed: 3, scale: 1.0);
        var data = TestNets.Data(9, 4, loss == Loss.Mse && output != Activation.Softmax ? 0 : (outputs == 1 ? 2 : 3), seed: 4);
        if (loss == Loss.Mse && outputs > 1 && data.Kind == SymmetryLab.Data.TargetKind.Continuous)
            data = TestNets.Data(9, 4, 3, seed: 4);
        var result = GradientCheck.Run(net, data, loss, l2);
        Assert.True(result.MaxRelativeError < 1e-6, $"{result.Worst}: backprop {result.Analytic}, numeric {result.Numeric}, relative error {result.MaxRelativeError}");
        Assert.True(result.BeyondNoise == 0, $"{result.WorstTooSmall}: differs by {result.MaxTooSmallDifference}, beyond the noise floor {result.NoiseFloor}");
        Assert.Equal(net.ParameterCount, result.Parameters);
    }

    [Fact]
    public void ACheckOfEvenlySpacedParametersReportsEachAsItGoes()
    {
        // 4-5-4-3: 25 + 24 + 15 = 64 parameters; a limit of 10 takes every 7th, 10 of them (0, 7, ..., 63).
        var net = TestNets.Random<double>(4, [(5, Activation.Tanh), (4, Activation.Tanh), (3, Activation.Softmax)], seed: 3);
        var data = TestNets.Data(9, 4, 3, seed: 4);
        var seen = new List<(int Done, int Total)>();
        var shares = new List<double>();
        var result = GradientCheck.Run(net, data, Loss.Ce, 0, 10, 1e-5, (done, total, share) => { seen.Add((done, total)); shares.Add(share); });
        Assert.Equal(64, net.ParameterCount);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => (k, 10)), seen);
        // Multiply-adds per row from a parameter's unit up: layer 1, 4 + 5*4 + 4*3 = 36; layer 2, 5 + 4*3 = 17;
        // layer 3 (softmax, its whole layer), 4*3 = 12. Parameters 0, 7, 14, 21 are in layer 1 (0-24),
        // 28, 35, 42 in layer 2 (25-48), 49, 56, 63 in layer 3: 4*36 + 3*17 + 3*12 = 231 in all.
        double[] expected = [0, 36, 72, 108, 144, 161, 178, 195, 207, 219];
        Assert.Equal(expected.Select(w => w / 231), shares);
        Assert.Equal(10, result.Parameters + result.AtKinks.Count);
        var unwatched = GradientCheck.Run(net, data, Loss.Ce, 0, 10);        // the same check without being watched
        Assert.Equal(unwatched.AtKinks, result.AtKinks);
        Assert.Equal(unwatched with { AtKinks = result.AtKinks }, result);
    }

    [Theory]
    [InlineData(Activation.Softmax, Loss.Ce, 3)]
    [InlineData(Activation.Sigmoid, Loss.Bce, 1)]
    [InlineData(Activation.Tanh, Loss.Mse, 3)]
    public void ACostFromTheChangedUnitUpIsTheWholePassBitForBit(Activation output, Loss loss, int outputs)
    {
        // The check's protocol, parameter after parameter in order: restore the last parameter's unit (or, on
        // a new layer, the whole pass), move this one by h, and take J from its unit up; a clone with the
        // same weights takes J by a whole pass. Every J must be the same double.
        var net = TestNets.Random<double>(5, [(7, Activation.Relu), (6, Activation.Tanh), (4, Activation.LeakyRelu), (outputs, output)], seed: 11, scale: 1.0);
        var data = TestNets.Data(13, 5, outputs == 1 ? 2 : 3, seed: 12);
        var x = Trainer<double>.ToInputs(net, data);
        var t = data.TargetMatrix(outputs);
        int rows = data.Rows;
        foreach (var layer in net.Layers) layer.EnsureCapacity(rows);
        var pool = WorkerPool.ForThreads(1);
        var zColumn = new double[rows];
        var aColumn = new double[rows];
        net.Cost(x, t, rows, loss, pool, 0.1);
        (int Layer, int Unit)? last = null;
        int compared = 0;
        foreach (var p in ParameterRef.All(net))
        {
            int layer = p.Layer - 1, unit = p.Unit - 1;
            if (last is var (ll, lu) && (ll, lu) != (layer, unit))
            {
                if (ll == layer) net.RecomputeUnit(ll, lu, x, rows, pool, zColumn, aColumn);
                else net.Cost(x, t, rows, loss, pool, 0.1);
            }
            last = (layer, unit);
            var (values, _, index) = p.Locate(net);
            double original = values[index];
            foreach (double h in new[] { 2e-4, -1e-4 })
            {
                values[index] = original + h;
                double fromUnit = net.CostAfterUnitChange(layer, unit, x, t, rows, loss, pool, 0.1, zColumn, aColumn);
                double whole = net.Clone().Cost(x, t, rows, loss, pool, 0.1);
                Assert.True(BitConverter.DoubleToInt64Bits(whole) == BitConverter.DoubleToInt64Bits(fromUnit), $"{p} + {h}: from its unit {fromUnit:R}, whole pass {whole:R}");
                compared++;
            }
            values[index] = original;
        }
        Assert.Equal(2 * net.ParameterCount, compared);
    }

    [Fact]
    public void TheCheckGivesTheSameResultOnOneThreadAndOnTwo()
    {
        // 120 rows x 96 inputs x 128 units: the first layer's products are past GemmJob's threshold, so
        // on two threads they are split; every J, and with it every finite difference, must keep its bits.
        var net = TestNets.Random<double>(96, [(128, Activation.Relu), (3, Activation.Softmax)], seed: 5);
        var data = TestNets.Data(120, 96, 3, seed: 6);
        Assert.True(120L * 96 * 128 > GemmJob<double>.ParallelThreshold);
        var one = GradientCheck.Run(net, data, Loss.Ce, 0, 30, 1e-5, null, threads: 1);
        var two = GradientCheck.Run(net, data, Loss.Ce, 0, 30, 1e-5, null, threads: 2);
        Assert.Equal(one.AtKinks, two.AtKinks);
        Assert.Equal(one with { AtKinks = two.AtKinks }, two);
        Assert.True(one.Passed(1e-5), $"{one.Worst}: relative error {one.MaxRelativeError}");
        // The check takes J from the moved unit up; a whole pass on a fresh copy gives the worst one's same stencil.
        var copy = net.Clone();
        var x = Trainer<double>.ToInputs(copy, data);
        var (values, _, index) = one.Worst!.Value.Locate(copy);
        double numeric = GradientCheck.Numeric(values, index, () => copy.Cost(x, data.TargetMatrix(3), data.Rows, Loss.Ce, WorkerPool.ForThreads(1)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(numeric), BitConverter.DoubleToInt64Bits(one.Numeric));
    }

    [Fact]
    public void LossesFollowSpecFromAnIndependentForwardPass()
    {
        // A 2-2-K network computed by hand with plain loops, against the engine's cost.
        var pool = WorkerPool.ForThreads(1);
        foreach (var (output, loss, k) in new[] { (Activation.Sigmoid, Loss.Bce, 1), (Activation.Softmax, Loss.Ce, 3), (Activation.Tanh, Loss.Mse, 3) })
        {
            var net = TestNets.Random<double>(2, [(2, Activation.Tanh), (k, output)], seed: 8);
            var data = TestNets.Data(5, 2, k == 1 ? 2 : 3, seed: 9);
            var t = data.TargetMatrix(k);
            double expected = 0;
            for (int r = 0; r < data.Rows; r++)
            {
                var h = new double[2];
                for (int j = 0; j < 2; j++)
                    h[j] = Math.Tanh(net.Layers[0].Weight(j, 0) * data.X[2 * r] + net.Layers[0].Weight(j, 1) * data.X[2 * r + 1] + net.Layers[0].Biases[j]);
                var z = new double[k];
                for (int o = 0; o < k; o++) z[o] = net.Layers[1].Weight(o, 0) * h[0] + net.Layers[1].Weight(o, 1) * h[1] + net.Layers[1].Biases[o];
                if (loss == Loss.Bce)
                {
                    double a = 1 / (1 + Math.Exp(-z[0]));
                    expected += -(t[r] * Math.Log(a) + (1 - t[r]) * Math.Log(1 - a));
                }
                else if (loss == Loss.Ce)
                {
                    double sum = z.Sum(Math.Exp);
                    for (int o = 0; o < k; o++) expected += -t[r * k + o] * Math.Log(Math.Exp(z[o]) / sum);
                }
                else
                {
                    for (int o = 0; o < k; o++) expected += Math.Pow(Math.Tanh(z[o]) - t[r * k + o], 2) / k;
                }
            }
            expected /= data.Rows;
            var x = TestNets.Convert<double>(data.X);
            Assert.Equal(expected, net.Cost(x, t, data.Rows, loss, pool), 1e-12);
        }
    }

    [Fact]
    public void BceAndCeNeverOverflowOnHugeLogits()
    {
        var pool = WorkerPool.ForThreads(1);
        var net = new Network<float>(1, [(1, Activation.Sigmoid)]);
        net.Layers[0].Weights[0] = 1e4f;
        double cost = net.Cost([100f], [0f], 1, Loss.Bce, pool); // z = 1e6: J = z exactly
        Assert.Equal(1e6, cost, 1e-3);
        var softmax = new Network<float>(1, [(3, Activation.Softmax)]);
        softmax.Layers[0].Weights[0] = 1e5f;
        double ce = softmax.Cost([100f], [0f, 1f, 0f], 1, Loss.Ce, pool); // z = (1e7, 0, 0): J = 1e7
        Assert.Equal(1e7, ce, 1.0);
        Assert.All(softmax.Layers[0].A.Take(3), a => Assert.True(float.IsFinite(a)));
    }
}

/// <summary>Dropout: with the mask held fixed (same seed for every evaluation), backprop matches finite differences.</summary>
public class DropoutGradientTests
{
    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    public void GradientsUnderAFixedMaskMatchFiniteDifferences(Activation hidden)
    {
        var net = TestNets.Random<double>(3, [(6, hidden), (5, hidden), (1, Activation.Sigmoid)], seed: 5, scale: 1.0);
        var data = TestNets.Data(12, 3, 2, seed: 6);
        var x = TestNets.Convert<double>(data.X);
        var pool = WorkerPool.ForThreads(1);
        double Cost() => net.ComputeGradients(x, data.Y, data.Rows, Loss.Bce, pool, dropout: 0.4, dropoutRng: new Rng(77));
        Cost();
        var analytic = net.Layers.Select(l => l.WeightGradients.ToArray()).ToArray();
        double floor = GradientCheck.NoiseFloor(Enumerable.Range(0, net.Layers.Count).Max(l => GradientCheck.MeasuredNoise(net.Layers[l].Weights, 0, Cost)));
        for (int l = 0; l < net.Layers.Count; l++)
            for (int i = 0; i < net.Layers[l].Weights.Length; i++)
            {
                double numeric = GradientCheck.Numeric(net.Layers[l].Weights, i, Cost);
                // A gradient too small for the finite differences to resolve (a unit dropped or off) is compared in absolute terms.
                Assert.True(GradientCheck.Resolves(analytic[l][i], numeric, floor, 1e-5)
                    ? GradientCheck.RelativeError(analytic[l][i], numeric) < 1e-5
                    : Math.Abs(analytic[l][i] - numeric) <= floor, $"layer {l + 1} weight {i}: {analytic[l][i]} vs {numeric}");
            }
    }
}
