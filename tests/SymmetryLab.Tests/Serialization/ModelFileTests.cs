using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

public class ModelFileTests
{
    private const string Lesson = """
        {
          "format": "symlab-model",
          "version": 1,
          "inputs": 2,
          "normalization": { "mean": [200.0, 13.5], "std": [40.0, 0.9] },
          "layers": [
            { "activation": "sigmoid", "weights": [[0.2, -0.3], [0.2, -0.3]], "biases": [0.0, 0.0] },
            { "activation": "sigmoid", "weights": [[0.5, 0.5]],               "biases": [0.0] }
          ]
        }
        """;

    [Fact]
    public void ReadsTheSpecExample()
    {
        var net = ModelFile.Parse<double>(Lesson, "model.json");
        Assert.Equal(2, net.Inputs);
        Assert.Equal([2, 1], net.Layers.Select(l => l.Units));
        Assert.Equal(-0.3, net.Layers[0].Weight(1, 1));
        Assert.Equal(0.9, net.Normalization!.Std[1]);
    }

    [Fact]
    public void RoundTripKeepsEveryBitAndEveryByte()
    {
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var f = TestNets.Random<float>(3, [(5, Activation.Tanh), (2, Activation.Softmax)], seed, scale: 1e-3);
            f.Layers[0].Weights[0] = float.Epsilon;
            f.Layers[0].Weights[1] = -0f;
            f.Layers[0].Weights[2] = float.MaxValue;
            string text = ModelFile.Write(f);
            var back = ModelFile.Parse<float>(text, "m.json");
            for (int l = 0; l < 2; l++)
            {
                Assert.Equal(f.Layers[l].Weights.Select(BitConverter.SingleToInt32Bits), back.Layers[l].Weights.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(f.Layers[l].Biases, back.Layers[l].Biases);
            }
            Assert.Equal(text, ModelFile.Write(back));

            var d = TestNets.Random<double>(3, [(5, Activation.LeakyRelu), (1, Activation.Linear)], seed);
            d.Layers[0].Weights[0] = 0.1 + 0.2;
            string dt = ModelFile.Write(d);
            var dback = ModelFile.Parse<double>(dt, "m.json");
            Assert.Equal(d.Layers[0].Weights, dback.Layers[0].Weights);
            Assert.Equal(dt, ModelFile.Write(dback));
        }
    }

    [Theory]
    [InlineData("\"format\": \"symlab-model\"", "\"format\": \"keras\"", "field format")]
    [InlineData("\"version\": 1", "\"version\": 2", "field version")]
    [InlineData("\"inputs\": 2", "\"inputs\": 3", "layers[0].weights[0]")]
    [InlineData("[[0.5, 0.5]]", "[[0.5, 0.5, 0.5]]", "layers[1].weights[0]")]
    [InlineData("\"biases\": [0.0]", "\"biases\": [0.0, 1.0]", "layers[1].biases")]
    [InlineData("\"activation\": \"sigmoid\", \"weights\": [[0.5", "\"activation\": \"swish\", \"weights\": [[0.5", "layers[1].activation")]
    [InlineData("[[0.2, -0.3], [0.2", "[[0.2, \"x\"], [0.2", "layers[0].weights[0][1]")]
    [InlineData("[[0.2, -0.3], [0.2", "[[0.2, 1e999], [0.2", "layers[0].weights[0][1]")]
    [InlineData("\"std\": [40.0, 0.9]", "\"std\": [40.0, 0.0]", "normalization.std[1]")]
    [InlineData("\"inputs\": 2,", "\"inputs\": 2, \"extra\": 1,", "field extra")]
    [InlineData("{ \"activation\": \"sigmoid\", \"weights\": [[0.2", "{ \"activation\": \"softmax\", \"weights\": [[0.2", "softmax is for the output layer only")]
    public void RejectsWhatIsNotAModelNamingTheField(string from, string to, string expected)
    {
        Assert.Contains(from, Lesson);
        var e = Assert.Throws<DataException>(() => ModelFile.Parse<double>(Lesson.Replace(from, to), "bad.json"));
        Assert.StartsWith("bad.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RejectsJsonThatDoesNotParse()
    {
        var e = Assert.Throws<DataException>(() => ModelFile.Parse<double>("{ \"format\": ", "broken.json"));
        Assert.Contains("broken.json", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }
}

public class ModelFileStrictnessTests
{
    [Theory]
    [InlineData("""{"format":"symlab-model","version":1,"version":1,"inputs":1,"layers":[{"activation":"linear","weights":[[1]],"biases":[0]}]}""", "the field version appears twice")]
    [InlineData("""{"format":"symlab-model", /* note */ "version":1,"inputs":1,"layers":[{"activation":"linear","weights":[[1]],"biases":[0]}]}""", "not valid JSON")]
    public void CommentsAndDuplicateKeysAreRejected(string json, string expected)
    {
        var e = Assert.Throws<SymmetryLab.Data.DataException>(() => ModelFile.Parse<double>(json, "other.json"));
        Assert.StartsWith("other.json", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
