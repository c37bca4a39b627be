using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// The one-pass reader is held to the document reader: every file this program writes reads through it
/// to the same bits; other layouts are left to the document reader; and over thousands of damaged
/// files it never accepts one the document reader refuses, nor reads one differently.
/// </summary>
public class StreamingModelReaderTests
{
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");

    public static IEnumerable<object[]> Fixtures => Directory.GetFiles(FixtureFolder, "model-*.json").Order().Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReadsEveryLayoutThisProgramWritesAsTheDocumentReaderDoes(string name)
    {
        string json = File.ReadAllText(Path.Combine(FixtureFolder, name));
        // A float64 file's extremes are not float32 numbers: then both refuse it in float32.
        Assert.Equal(Document<double>(json) is not null, Same<double>(json));
        Assert.Equal(Document<float>(json) is not null, Same<float>(json));
        Assert.True(Same<double>(json));
    }

    [Fact]
    public void ReadsAWideModelAsTheDocumentReaderDoes()
    {
        // Rows longer than the first buffer and more of them than it holds, as a 784-input layer has.
        var net = TestNets.Random<float>(70_000, [(20, Activation.Relu), (3, Activation.Softmax)], seed: 9);
        net.Normalization = new Normalization([.. Enumerable.Range(0, 70_000).Select(i => i * 0.5)], [.. Enumerable.Repeat(2.0, 70_000)]);
        Assert.True(Same<double>(ModelFile.Write(net, "label")));
    }

    private const string Canonical = "{ 'format': 'symlab-model', 'version': 1, 'precision': 'float32', 'inputs': 2, 'normalization': { 'mean': [1.5, -0.25], 'std': [2, 0.5] }, 'meta': { 'target': 'label' }, "
        + "'layers': [{ 'activation': 'tanh', 'weights': [[0.5, -1.25], [2, 0.125]], 'biases': [0.5, -0.25] }, { 'activation': 'softmax', 'weights': [[1, 2], [3, 4]], 'biases': [0, 1] }] }";

    [Theory]
    [InlineData("precision after the layers", "'precision': 'float32', ", "", "}] }", "}], 'precision': 'float32' }")]
    [InlineData("no precision (a file from elsewhere: float64)", "'precision': 'float32', ", "", "", "")]
    [InlineData("normalization before inputs", "'inputs': 2, ", "", "'meta'", "'inputs': 2, 'meta'")]
    [InlineData("another field in the normalization (not read)", "'std'", "'note': 'fit on train', 'std'", "", "")]
    [InlineData("a nested meta", "'target': 'label'", "'target': 'label', 'source': { 'rows': 120 }", "", "")]
    public void LeavesOtherLayoutsToTheDocumentReader(string what, string from, string to, string from2, string to2)
    {
        string canonical = Canonical.Replace('\'', '"');
        Assert.True(Same<double>(canonical));
        string json = Canonical.Replace(from, to);
        if (from2.Length > 0) json = json.Replace(from2, to2);
        json = json.Replace('\'', '"');
        Assert.NotEqual(canonical, json);
        Assert.Null(StreamingModelReader.TryRead<double>(Encoding.UTF8.GetBytes(json)));
        var (network, _) = ModelFile.ThroughDocument<double>(json, "m.json");
        Assert.True(network.Inputs == 2, what);
    }

    [Theory]
    [InlineData("a name twice in meta", "'target': 'label'", "'target': 'label', 'target': 'y'")]
    [InlineData("a name twice at the top", "'version': 1,", "'version': 1, 'version': 1,")]
    [InlineData("a std too small to divide by", "'std': [2, 0.5]", "'std': [2, 1e-101]")]
    [InlineData("softmax below the output", "'activation': 'tanh'", "'activation': 'softmax'")]
    [InlineData("text after the model", "[0, 1] }] }", "[0, 1] }] } {}")]
    [InlineData("a row too short", "[[1, 2], [3, 4]]", "[[1, 2], [3]]")]
    [InlineData("a row too long", "[[1, 2], [3, 4]]", "[[1, 2], [3, 4, 5]]")]
    [InlineData("a bias too many", "'biases': [0, 1]", "'biases': [0, 1, 2]")]
    [InlineData("a weight beyond float32", "[[1, 2], [3, 4]]", "[[1, 2], [3, 1e39]]")]
    [InlineData("a weight as text", "[[1, 2], [3, 4]]", "[[1, 2], [3, '4']]")]
    [InlineData("another version", "'version': 1", "'version': 2")]
    [InlineData("a trailing comma", "[0, 1]", "[0, 1,]")]
    public void RefusesWhatTheDocumentReaderRefuses(string what, string from, string to)
    {
        string json = Canonical.Replace(from, to).Replace('\'', '"');
        Assert.NotEqual(Canonical.Replace('\'', '"'), json);
        Assert.Null(StreamingModelReader.TryRead<double>(Encoding.UTF8.GetBytes(json)));
        Assert.True(Document<double>(json) is null, what);
    }

    [Fact]
    public void AcceptsNoDamagedFileTheDocumentReaderRefusesNorReadsOneDifferently()
    {
        var random = new Random(20261207);
        int read = 0, refused = 0;
        foreach (string original in new[] { Small(float32: true), Small(float32: false) })
            for (int trial = 0; trial < 3000; trial++)
            {
                string json = original;
                for (int k = random.Next(1, 4); k > 0; k--) json = Damage(json, random);
                bool fast = Same<double>(json) & Same<float>(json);
                if (fast) read++;
                if (Document<double>(json) is null) refused++;
            }
        // Both sides are exercised: many damaged files still read in one pass, many more are refused.
        Assert.InRange(read, 300, 6000);
        Assert.InRange(refused, 2000, 6000);
    }

    /// <summary>
    /// Whether the one-pass reader read <paramref name="json"/>; throws when it read it and the document
    /// reader refused it, or read another network or precision.
    /// </summary>
    private static bool Same<T>(string json) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fast = StreamingModelReader.TryRead<T>(Encoding.UTF8.GetBytes(json));
        if (fast is not { } f) return false;
        var document = Document<T>(json);
        Assert.True(document is not null, $"the one-pass reader read a file the document reader refuses:\n{json}");
        var (d, float32) = document.Value;
        Assert.Equal(float32, f.Float32);
        Assert.Equal(d.Shape, f.Network.Shape);
        for (int l = 0; l < d.Layers.Count; l++)
        {
            Assert.Equal(d.Layers[l].Activation, f.Network.Layers[l].Activation);
            Assert.True(Bits<T>(d.Layers[l].Weights).SequenceEqual(Bits<T>(f.Network.Layers[l].Weights)), $"layer {l + 1} weights:\n{json}");
            Assert.True(Bits<T>(d.Layers[l].Biases).SequenceEqual(Bits<T>(f.Network.Layers[l].Biases)), $"layer {l + 1} biases:\n{json}");
        }
        Assert.Equal(d.Normalization is null, f.Network.Normalization is null);
        if (d.Normalization is { } n)
        {
            Assert.True(Bits<double>(n.Mean).SequenceEqual(Bits<double>(f.Network.Normalization!.Mean)));
            Assert.True(Bits<double>(n.Std).SequenceEqual(Bits<double>(f.Network.Normalization!.Std)));
        }
        return true;
    }

    private static (Network<T> Network, bool Float32)? Document<T>(string json) where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return ModelFile.ThroughDocument<T>(json, "m.json");
        }
        catch (DataException)
        {
            return null;
        }
    }

    private static byte[] Bits<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A 2-2-2 softmax model with a normalization and a target, as this program writes it.</summary>
    private static string Small(bool float32)
    {
        Network<double> net = TestNets.Random<double>(2, [(2, Activation.Tanh), (2, Activation.Softmax)], seed: 3);
        net.Normalization = new Normalization([1.5, -0.25], [2.0, 0.5]);
        return float32 ? ModelFile.Write(net.Convert<float>(), "label") : ModelFile.Write(net, "label");
    }

    private static readonly string[] Numbers = ["NaN", "1e999", "-1e-999", "\"1\"", "null", "true", "3.4028236e38", "1e300", "0", "-0", "1E2", "01", "1.", ".5", "1e-46", "2"];
    private static readonly string[] Names = ["format", "version", "precision", "inputs", "normalization", "meta", "layers", "activation", "weights", "biases", "mean", "std", "target", "x"];
    private static readonly string[] Words = ["symlab-model", "float32", "float64", "relu", "softmax", "tanh", "sigmoid", "linear", "label"];
    private const string Characters = "{}[],:\"-.0123456789eE +\n\\ufl";

    /// <summary>One random change: a character or line added, removed, repeated or swapped, or a number, name or word replaced.</summary>
    private static string Damage(string json, Random random)
    {
        var lines = json.Split('\n').ToList();
        int at = random.Next(json.Length);
        switch (random.Next(9))
        {
            case 0: return json.Remove(at, 1);
            case 1: return json.Insert(at, Characters[random.Next(Characters.Length)].ToString());
            case 2: return json.Remove(at, 1).Insert(at, Characters[random.Next(Characters.Length)].ToString());
            case 3:
                int line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            case 4:
                lines.RemoveAt(random.Next(lines.Count));
                return string.Join('\n', lines);
            case 5:
                int a = random.Next(lines.Count), b = random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
            case 6: return ReplaceOne(json, @"-?\d[\d.eE+-]*", Numbers, random);
            case 7: return ReplaceOne(json, "\"(" + string.Join('|', Names) + ")\":", [.. Names.Select(n => $"\"{n}\":")], random);
            default: return ReplaceOne(json, "\"(" + string.Join('|', Words) + ")\"", [.. Words.Select(w => $"\"{w}\"")], random);
        }
    }

    private static string ReplaceOne(string json, string pattern, string[] by, Random random)
    {
        var matches = Regex.Matches(json, pattern);
        if (matches.Count == 0) return json;
        var m = matches[random.Next(matches.Count)];
        return json[..m.Index] + by[random.Next(by.Length)] + json[(m.Index + m.Length)..];
    }
}
