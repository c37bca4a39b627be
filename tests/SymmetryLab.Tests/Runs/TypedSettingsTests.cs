using System.Text.Json;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// <see cref="RunSettings"/> holds typed values (an <see cref="Optimizer"/>, an initialization scheme, a
/// <see cref="Precision"/> and an <see cref="InputNormalization"/>) that print the SPEC.md names the front
/// ends parsed them from: every name the catalogs list (<see cref="Init.Names"/>, <see cref="Optimizer.Names"/>,
/// <see cref="InputNormalization.All"/>, <see cref="Precision.All"/>) comes back as written in run.json and in
/// a sweep's settings.
/// </summary>
public class TypedSettingsTests
{
    /// <summary>Numbers for a scheme's placeholders (C, A:B, MEAN:STD), A &lt; B, written as SPEC.md's examples write them.</summary>
    private static readonly string[] Numbers = ["-0.5", "10"];

    /// <summary>Every scheme of <see cref="Init.Names"/> with numbers for its placeholders, and symmetric: over every plain one.</summary>
    private static (List<string> Weights, List<string> Biases) Schemes()
    {
        var plain = Init.Names.Where(n => !n.Contains("SCHEME", StringComparison.Ordinal))
            .Select(n => string.Join(":", n.Split(':').Select((part, i) => i == 0 ? part : Numbers[i - 1]))).ToList();
        var wrappers = Init.Names.Where(n => n.Contains("SCHEME", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(wrappers);
        return ([.. plain, .. wrappers.SelectMany(w => plain.Select(p => w.Replace("SCHEME", p, StringComparison.Ordinal)))], plain);
    }

    [Fact]
    public void Every_catalogued_name_parses_to_a_typed_value_that_prints_it_back()
    {
        var (weights, biases) = Schemes();
        Assert.Contains("normal:-0.5:10", weights);
        Assert.Contains("symmetric:he-normal", weights);
        foreach (string w in weights)
            foreach (string b in biases)
            {
                var scheme = FlagSyntax.Init(w, b);
                Assert.Equal((w, b, $"{w} (bias {b})"), (scheme.WeightName, scheme.Biases.Name, scheme.ToString()));
            }
        foreach (string name in Optimizer.Names)
        {
            Assert.Equal(name, FlagSyntax.Optimizer(name).Name);
            Assert.Null(FlagSyntax.Optimizer(name).LearningRate); // --lr is apart: null is the optimizer's default
        }
        Assert.Equal(["none", "zscore"], InputNormalization.All.Select(n => FlagSyntax.Normalize(n.Name).ToString()));
        Assert.Equal(["float32", "float64"], Precision.All.Select(p => FlagSyntax.Precision(p.Name).ToString()));
    }

    [Fact]
    public void Run_json_and_the_sweep_settings_name_every_catalogued_value_as_SPEC_md_does()
    {
        var (weights, biases) = Schemes();
        var optimizers = Optimizer.Names;
        string root = TestNets.TempDir();
        try
        {
            // Each weight scheme once, the other lists cycled beside it: every value of every list is written at least once.
            int runs = new[] { weights.Count, biases.Count, optimizers.Count, InputNormalization.All.Count, Precision.All.Count }.Max();
            for (int i = 0; i < runs; i++)
            {
                string w = weights[i % weights.Count], b = biases[(i + 1) % biases.Count], o = optimizers[i % optimizers.Count]; // b: never w's own scheme
                string n = InputNormalization.All[i % 2].Name, p = Precision.All[i / 2 % 2].Name;
                var settings = new RunSettings
                {
                    Data = "xor:n=8", Layers = [2, 1], Epochs = 0, Threads = 1, Seed = (ulong)i,
                    Init = FlagSyntax.Init(w, b), Optimizer = FlagSyntax.Optimizer(o), Normalize = FlagSyntax.Normalize(n), Precision = FlagSyntax.Precision(p),
                };
                string dir = Path.Combine(root, $"run{i}");
                TrainingRun.Execute(settings with { Out = dir });
                using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
                var r = run.RootElement;
                Assert.Equal(($"{w} (bias {b})", o, n, p), (Text(r, "init"), Text(r, "optimizer"), Text(r, "normalize"), Text(r, "precision")));
                // The default learning rate is the optimizer's own, recorded as the number used.
                Assert.Equal(FlagSyntax.Optimizer(o).DefaultLearningRate, r.GetProperty("learningRate").GetDouble());

                using var described = JsonDocument.Parse(Sweep.Describe(settings));
                var d = described.RootElement;
                Assert.Equal((w, b, o, n, p), (Text(d, "init"), Text(d, "biasInit"), Text(d, "optimizer"), Text(d, "normalize"), Text(d, "precision")));
                Assert.Equal(JsonValueKind.Null, d.GetProperty("learningRate").ValueKind); // null: the optimizer's default, as before
            }
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void A_learning_rate_given_by_the_optimizer_or_by_lr_is_the_one_described_and_lr_wins()
    {
        Assert.Equal(0.25, Rate(new RunSettings { Optimizer = new GradientDescent(0.25) }));
        Assert.Equal(0.5, Rate(new RunSettings { Optimizer = new GradientDescent(0.25), LearningRate = 0.5 }));
        Assert.Equal(0.5, Rate(new RunSettings { Optimizer = "gd", LearningRate = 0.5 }));
        Assert.Null(Rate(new RunSettings { Optimizer = "gd" }));

        static double? Rate(RunSettings s)
        {
            using var d = JsonDocument.Parse(Sweep.Describe(s));
            return d.RootElement.GetProperty("learningRate") is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
        }
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
