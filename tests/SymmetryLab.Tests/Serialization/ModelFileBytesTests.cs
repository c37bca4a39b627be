using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// model.json keeps its bytes: for each setup, the text ModelFile writes today must equal, byte for
/// byte, the file the hand-written writer produced (Fixtures/, committed before the writer became
/// System.Text.Json records), and reading a fixture and writing it again gives it back. The setups
/// cover float32 and float64, one to three layers of every activation, tied (identical) units, a
/// normalization, meta with strings to escape, and numbers whose text is the usual trap: -0, subnormals,
/// the largest finite values, exponents, 9 and 17 significant digits.
/// </summary>
public class ModelFileBytesTests
{
    public static IEnumerable<object[]> Setups => Cases.Keys.Select(k => new object[] { k });

    private static readonly Dictionary<string, Func<string>> Cases = new()
    {
        ["float32-2-3-1-sigmoid"] = () => ModelFile.Write(TestNets.Random<float>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)], seed: 1)),
        ["float64-4-5-3-2-softmax-normalized"] = () =>
        {
            var net = TestNets.Random<double>(4, [(5, Activation.Tanh), (3, Activation.Relu), (2, Activation.Softmax)], seed: 2);
            net.Normalization = new Normalization([200.0, 13.5, -0.1, 1e-7], [40.0, 0.9, 3.3333333333333335, 1e10]);
            return ModelFile.Write(net, "label");
        },
        ["float32-tied-2-2-1-normalized"] = () =>
        {
            // The lesson's tied network: both hidden units start identical, and a float32 file's normalization is double.
            var net = new Network<float>(2, [(2, Activation.Sigmoid), (1, Activation.Sigmoid)]);
            net.Layers[0].Weights.AsSpan().Fill(0.2f);
            net.Layers[0].Weights[1] = net.Layers[0].Weights[3] = -0.3f;
            net.Layers[1].Weights.AsSpan().Fill(0.5f);
            net.Normalization = new Normalization([200.0, 13.5], [40.0, 0.9]);
            return ModelFile.Write(net);
        },
        ["float32-edges"] = () =>
        {
            var net = TestNets.Random<float>(3, [(5, Activation.LeakyRelu), (1, Activation.Linear)], seed: 3, scale: 1e-3);
            float[] edges = [-0f, 0f, float.Epsilon, -float.Epsilon, 1.17549435E-38f, float.MaxValue, float.MinValue, 1e-5f, 1e30f, 16777217f, 0.1f, 1f / 3, 123456.79f];
            edges.CopyTo(net.Layers[0].Weights, 0);
            net.Layers[1].Biases[0] = -0f;
            return ModelFile.Write(net, "y");
        },
        ["float64-edges-meta"] = () =>
        {
            var net = TestNets.Random<double>(4, [(3, Activation.Tanh), (2, Activation.Sigmoid)], seed: 4);
            double[] edges = [-0.0, double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308, 0.1 + 0.2, 1e-5, 1e21, 1e300, 1.0 / 3];
            edges.CopyTo(net.Layers[0].Weights, 0);
            net.Normalization = new Normalization([0.0, -0.0, double.Epsilon, 1e300], [1.0, 1e-100, 2.5, double.MaxValue]);
            return ModelFile.Write(net, [new("producer", "pytorch \"2.5\" <onnx> & co, caf\u00e9 \u20ac \t\n"), new("producerVersion", "1.0")]);
        },
        ["float64-1-70-wide-linear"] = () => ModelFile.Write(TestNets.Random<double>(1, [(70, Activation.Linear)], seed: 5)),
        ["float32-64-32-10-softmax"] = () => ModelFile.Write(TestNets.Random<float>(64, [(32, Activation.Relu), (10, Activation.Softmax)], seed: 6, scale: 0.1), "digit"),
    };

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", $"model-{name}.json");

    [Theory]
    [MemberData(nameof(Setups))]
    public void TheWriterGivesTheBytesOfTheFixture(string name)
    {
        byte[] expected = File.ReadAllBytes(Fixture(name));
        byte[] actual = System.Text.Encoding.UTF8.GetBytes(Cases[name]());
        int at = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(at == expected.Length && at == actual.Length,
            $"{name}: the bytes differ at offset {at} of {expected.Length}: the fixture has \"{Around(expected, at)}\", the writer \"{Around(actual, at)}\"");
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void AFixtureReadAndWrittenAgainIsTheSameBytes(string name)
    {
        string text = File.ReadAllText(Fixture(name));
        var meta = ModelFile.ReadMeta(Fixture(name));
        string again = ModelFile.PrecisionOf(text) == "float32"
            ? ModelFile.Write(ModelFile.Parse<float>(text, name), meta)
            : ModelFile.Write(ModelFile.Parse<double>(text, name), meta);
        Assert.Equal(text, again);
    }

    private static string Around(byte[] bytes, int at) =>
        System.Text.Encoding.UTF8.GetString(bytes, Math.Max(0, at - 20), Math.Min(bytes.Length, at + 20) - Math.Max(0, at - 20)).Replace("\n", "\\n");
}
