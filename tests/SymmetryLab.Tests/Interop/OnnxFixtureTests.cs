using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Interop;

namespace SymmetryLab.Tests.Interop;

/// <summary>ONNX files written by PyTorch (and one hand-built in tf2onnx's shape) import, and predict what the framework recorded.</summary>
public class OnnxFixtureTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures", name);

    internal sealed record Expected(double[] Inputs, double[] Outputs, int Rows, JsonElement Root);

    internal static Expected Recorded(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture(name + ".expected.json")));
        var inputs = doc.RootElement.GetProperty("inputs").EnumerateArray().ToList();
        var outputs = doc.RootElement.GetProperty("outputs").EnumerateArray().ToList();
        return new Expected(
            inputs.SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(),
            outputs.SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(),
            inputs.Count, doc.RootElement.Clone());
    }

    [Theory]
    [InlineData("planted", "float32", "3-6-5-1", "tanh,relu,sigmoid", "pytorch")]
    [InlineData("planted64", "float64", "3-6-5-1", "tanh,relu,sigmoid", "pytorch")]
    [InlineData("gemm_transb0", "float32", "4-7-3", "relu,softmax", "pytorch")]
    [InlineData("matmul_add", "float32", "5-6-2", "leaky_relu,linear", "pytorch")]
    [InlineData("flatten", "float32", "16-5-1", "sigmoid,sigmoid", "pytorch")]
    [InlineData("reshape", "float32", "6-4-3", "tanh,softmax", "pytorch")]
    [InlineData("view", "float32", "6-4-1", "relu,sigmoid", "pytorch")]
    [InlineData("tf2onnx_shaped", "float32", "4-8-1", "relu,sigmoid", "symlab-fixtures (onnx.helper, tf2onnx-shaped)")]
    public void ImportsAndPredictsWhatTheFrameworkRecorded(string name, string precision, string shape, string activations, string producer)
    {
        var model = OnnxImport.Load(Fixture(name + ".onnx"));
        Assert.Equal(precision, model.Precision);
        Assert.Equal(shape, model.Network.Shape);
        Assert.Equal(activations, string.Join(",", model.Network.Layers.Select(l => ActivationNames.Name(l.Activation))));
        Assert.Equal(producer, model.Meta.Single(m => m.Key == "producer").Value);

        var expected = Recorded(name);
        var ours = precision == "float32"
            ? OnnxExportTests.Symlab(model.NetworkAs<float>(), expected.Inputs, expected.Rows)
            : OnnxExportTests.Symlab(model.NetworkAs<double>(), expected.Inputs, expected.Rows);
        Assert.Equal(expected.Outputs.Length, ours.Length);
        // float32: the frameworks sum in other orders (and PyTorch normalizes in float32, symlab in float64).
        double tolerance = precision == "float32" ? 1e-6 : 1e-12;
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - expected.Outputs[i]) <= tolerance * Math.Max(1, Math.Abs(expected.Outputs[i])),
                $"{name} output {i}: symlab {ours[i]:R}, recorded {expected.Outputs[i]:R}");
    }

    [Fact]
    public void NormalizationComesBackAsTheModelsNormalization()
    {
        var planted = OnnxImport.Load(Fixture("planted.onnx")).Network.Normalization!;
        var data = CsvReader.Read(Fixture("planted.csv"));
        var fitted = Normalization.Fit(data.X, data.Rows, data.Features); // the script used the data's mean and population std
        for (int f = 0; f < 3; f++)
        {
            Assert.Equal(fitted.Mean[f], planted.Mean[f], 1e-5);
            Assert.Equal(fitted.Std[f], planted.Std[f], 1e-5);
        }
        var flatten = OnnxImport.Load(Fixture("flatten.onnx")).Network.Normalization!;
        Assert.All(flatten.Mean, m => Assert.Equal((double)0.1307f, m));
        Assert.All(flatten.Std, s => Assert.Equal((double)0.3081f, s));
    }
}
