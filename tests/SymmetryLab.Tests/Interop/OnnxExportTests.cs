using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Interop;
using SymmetryLab.Numerics;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Interop;

/// <summary>
/// Every kind of model exported to ONNX and run by ONNX Runtime (an independent implementation) gives
/// what symlab computes; export then import gives back the same model file, byte for byte.
/// </summary>
public class OnnxExportTests
{
    private static readonly Activation[] Hidden = [Activation.Linear, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];

    /// <summary>(output units, output activation, head name) of the bce, ce and mse heads.</summary>
    private static readonly (int Units, Activation Activation, string Loss)[] Heads =
        [(1, Activation.Sigmoid, "bce"), (3, Activation.Softmax, "ce"), (2, Activation.Linear, "mse")];

    public static TheoryData<int, string, string, bool, bool> Kinds()
    {
        var data = new TheoryData<int, string, string, bool, bool>();
        foreach (bool float32 in new[] { true, false })
            foreach (bool normalized in new[] { false, true })
                foreach (var head in Heads)
                {
                    data.Add(1, "none", head.Loss, float32, normalized);
                    for (int depth = 2; depth <= 4; depth++)
                        foreach (var g in Hidden) data.Add(depth, g.Name(), head.Loss, float32, normalized);
                }
        return data;
    }

    internal static Network<T> Model<T>(int depth, string hidden, string loss, bool normalized, ulong seed = 3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var head = Heads.Single(h => h.Loss == loss);
        Activation g = hidden == "none" ? Activation.Linear : (ActivationNames.TryParse(hidden, out var a) ? a : throw new ArgumentException(hidden));
        const int inputs = 5;
        var layers = Enumerable.Range(0, depth - 1).Select(l => (6 - l, g)).Append((head.Units, head.Activation)).ToArray();
        var net = TestNets.Random<T>(inputs, layers, seed, scale: 0.8);
        if (normalized)
        {
            var rng = new Rng(seed + 100);
            net.Normalization = new Normalization(
                Enumerable.Range(0, inputs).Select(_ => rng.NextNormal(3, 5)).ToArray(),
                Enumerable.Range(0, inputs).Select(_ => 0.1 + rng.NextDouble() * 4).ToArray());
        }
        return net;
    }

    /// <summary>Random inputs that are exactly float32 values (so both sides read the same numbers).</summary>
    internal static double[] Inputs(int rows, int features, ulong seed, double scale = 3)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows * features).Select(_ => (double)(float)(rng.NextNormal(0, scale) + 2)).ToArray();
    }

    /// <summary>What symlab predict computes: the model's normalization in float64, then the forward pass in T.</summary>
    internal static double[] Symlab<T>(Network<T> net, double[] x, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new Dataset("x", x, new double[rows], net.Inputs);
        var outputs = new double[rows * net.Outputs];
        new Evaluator<T>(net, data, net.Output.Activation == Activation.Softmax ? Loss.Ce : Loss.Mse, WorkerPool.ForThreads(1)).Evaluate(outputs);
        return outputs;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OnnxRuntimeComputesWhatSymlabComputes(int depth, string hidden, string loss, bool float32, bool normalized)
    {
        if (float32) Check<float>(depth, hidden, loss, normalized, 1e-6);
        else Check<double>(depth, hidden, loss, normalized, 1e-12);
    }

    private static void Check<T>(int depth, string hidden, string loss, bool normalized, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = Model<T>(depth, hidden, loss, normalized);
        const int rows = 64;
        var x = Inputs(rows, net.Inputs, seed: 5);
        var ours = Symlab(net, x, rows);
        var theirs = OnnxRuntimeCheck.Run(OnnxExport.ToBytes(net), x, rows, typeof(T) == typeof(float));
        Assert.Equal(ours.Length, theirs.Length);
        // Relative to the output's size beyond 1 (a linear output of 5 has float32 steps of 5e-7).
        double worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(a))).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:G3} > {tolerance:G3}");
        // A check that could fail: the outputs are not all equal (a broken export would not pass by accident).
        Assert.True(ours.Distinct().Count() > rows / 8, $"only {ours.Distinct().Count()} distinct outputs");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ExportThenImportGivesTheSameModelFileBytes(int depth, string hidden, string loss, bool float32, bool normalized)
    {
        IReadOnlyList<KeyValuePair<string, string>> meta = normalized ? [new("target", "label")] : [];
        string original, back;
        if (float32)
        {
            var net = Model<float>(depth, hidden, loss, normalized);
            original = ModelFile.Write(net, meta);
            var imported = OnnxImport.Parse(OnnxExport.ToBytes(net, meta), "test.onnx");
            Assert.Equal("float32", imported.Precision);
            back = imported.ToModelJson();
        }
        else
        {
            var net = Model<double>(depth, hidden, loss, normalized);
            original = ModelFile.Write(net, meta);
            var imported = OnnxImport.Parse(OnnxExport.ToBytes(net, meta), "test.onnx");
            Assert.Equal("float64", imported.Precision);
            back = imported.ToModelJson();
        }
        Assert.Equal(original, back);
    }
}
