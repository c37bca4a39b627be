using FsCheck;
using FsCheck.Fluent;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// Properties over generated cases (FsCheck, a fixed replay seed so CI sees the same cases): any data
/// set written as CSV reads back identically; a model file read and written again is the same bytes;
/// permuting a layer's hidden units (and negating tanh units with their outgoing weights) never changes
/// a network's outputs; units made identical stay bit-identical through training without dropout.
/// </summary>
public class PropertyTests
{
    private static readonly Config Fixed = Config.QuickThrowOnFailure.WithMaxTest(60).WithReplay(16, 17);

    /// <summary>Shapes and seeds: rows, features, hidden units, a seed for the numbers.</summary>
    private static Arbitrary<(int Rows, int Features, int Hidden, ulong Seed)> Shapes() =>
        (from rows in Gen.Choose(1, 40)
         from features in Gen.Choose(1, 6)
         from hidden in Gen.Choose(1, 7)
         from seed in Gen.Choose(0, int.MaxValue)
         select (rows, features, hidden, (ulong)seed)).ToArbitrary();

    [Fact]
    public void AnyDataSetWrittenAsCsvReadsBackIdentically()
    {
        Prop.ForAll(Shapes(), s =>
        {
            var rng = new Rng(s.Seed);
            // Numbers of every scale and sign, exact round-trip text ("R"), integer and real targets.
            var x = Enumerable.Range(0, s.Rows * s.Features).Select(_ => rng.NextNormal() * Math.Pow(10, rng.NextInt(40) - 20)).ToArray();
            var y = Enumerable.Range(0, s.Rows).Select(_ => rng.NextInt(2) == 0 ? rng.NextInt(4) : rng.NextNormal()).ToArray();
            var data = new Dataset("p", x, y, s.Features);
            string path = Path.Combine(TestNets.TempDir(), "p.csv");
            TestNets.WriteCsv(data, path);
            var back = CsvReader.Read(path);
            Assert.Equal(x, back.X);
            Assert.Equal(y, back.Y);
            Assert.Equal(data.FeatureNames, back.FeatureNames);
            File.Delete(path);
        }).Check(Fixed);
    }

    [Fact]
    public void AModelFileReadAndWrittenAgainIsTheSameBytes()
    {
        Prop.ForAll(Shapes(), s =>
        {
            foreach (var text in new[] { ModelFile.Write(Net<float>(s)), ModelFile.Write(Net<double>(s)) })
            {
                string again = ModelFile.PrecisionOf(text) == "float32"
                    ? ModelFile.Write(ModelFile.Parse<float>(text, "m.json"))
                    : ModelFile.Write(ModelFile.Parse<double>(text, "m.json"));
                Assert.Equal(text, again);
            }
        }).Check(Fixed);
    }

    private static Network<T> Net<T>(in (int Rows, int Features, int Hidden, ulong Seed) s, Activation hidden = Activation.Tanh) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = TestNets.Random<T>(s.Features, [(s.Hidden, hidden), (s.Hidden + 1, hidden), (2, Activation.Sigmoid)], s.Seed, scale: 1.5);
        var rng = new Rng(s.Seed + 1);
        // Numbers of many magnitudes, so the shortest round-trip text is exercised.
        foreach (var layer in net.Layers)
            for (int i = 0; i < layer.Weights.Length; i += 3) layer.Weights[i] = T.CreateChecked(rng.NextNormal() * Math.Pow(10, rng.NextInt(24) - 12));
        return net;
    }

    [Fact]
    public void PermutingHiddenUnitsAndFlippingTanhSignsNeverChangesTheOutputs()
    {
        Prop.ForAll(Shapes(), s =>
        {
            var net = Net<double>(s);
            var permuted = net.Clone();
            var rng = new Rng(s.Seed + 2);
            for (int l = 0; l < net.Layers.Count - 1; l++)
            {
                var layer = permuted.Layers[l];
                var next = permuted.Layers[l + 1];
                var order = Enumerable.Range(0, layer.Units).ToArray();
                rng.Shuffle(order);
                var signs = order.Select(_ => rng.NextInt(2) == 0 ? 1.0 : -1.0).ToArray(); // tanh(-z) = -tanh(z)
                var source = net.Clone();
                var from = source.Layers[l];
                var above = source.Layers[l + 1];
                for (int j = 0; j < layer.Units; j++)
                {
                    int u = order[j];
                    for (int i = 0; i < layer.Inputs; i++) layer.Weights[j * layer.Inputs + i] = signs[j] * from.Weights[u * from.Inputs + i];
                    layer.Biases[j] = signs[j] * from.Biases[u];
                    for (int k = 0; k < next.Units; k++) next.Weights[k * next.Inputs + j] = signs[j] * above.Weights[k * above.Inputs + u];
                }
                net = permuted.Clone(); // the next layer permutes from what this one made
            }
            var original = Net<double>(s);
            var x = TestNets.Data(s.Rows, s.Features, 2, s.Seed).X;
            var pool = WorkerPool.ForThreads(1);
            var a = (double[])original.Forward(x, s.Rows, pool).Clone();
            var b = permuted.Forward(x, s.Rows, pool);
            for (int i = 0; i < s.Rows * 2; i++) Assert.Equal(a[i], b[i], 1e-12);
        }).Check(Fixed);
    }

    [Fact]
    public void UnitsMadeIdenticalStayIdenticalThroughTrainingWithoutDropout()
    {
        var activations = new[] { Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu };
        var optimizers = new[] { "gd", "sgd", "momentum", "adam" };
        Prop.ForAll(Shapes(), s =>
        {
            var g = activations[(int)(s.Seed % 4)];
            var net = Net<float>(s, g);
            var layer = net.Layers[0];
            var next = net.Layers[1];
            // Unit 1 (0-based) becomes a copy of unit 0, in incoming weights, bias and outgoing weights.
            if (layer.Units < 2) return;
            for (int i = 0; i < layer.Inputs; i++) layer.Weights[layer.Inputs + i] = layer.Weights[i];
            layer.Biases[1] = layer.Biases[0];
            for (int k = 0; k < next.Units; k++) next.Weights[k * next.Inputs + 1] = next.Weights[k * next.Inputs];
            var data = TestNets.Data(s.Rows, s.Features, 2, s.Seed);
            var options = new TrainingOptions
            {
                Loss = Loss.Mse,
                Optimizer = optimizers[(int)(s.Seed / 4 % 4)],
                LearningRate = 0.05,
                Epochs = 3,
                BatchSize = 1 + (int)(s.Seed % (ulong)s.Rows),
                Seed = s.Seed,
                Threads = 1 + (int)(s.Seed % 2),
            };
            new Trainer<float>(net, data, options).Train();
            for (int i = 0; i < layer.Inputs; i++) Assert.Equal(BitConverter.SingleToInt32Bits(layer.Weights[i]), BitConverter.SingleToInt32Bits(layer.Weights[layer.Inputs + i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(layer.Biases[0]), BitConverter.SingleToInt32Bits(layer.Biases[1]));
            for (int k = 0; k < next.Units; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(next.Weights[k * next.Inputs]), BitConverter.SingleToInt32Bits(next.Weights[k * next.Inputs + 1]));
        }).Check(Fixed);
    }
}
