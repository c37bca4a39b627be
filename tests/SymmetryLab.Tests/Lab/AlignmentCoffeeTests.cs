using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// The coffee lesson's case: two 2-3-1 sigmoid nets from different seeds learn the same three feature
/// detectors in a different order (and some as their complement, 1 - sigmoid). The README example:
///     symlab train --data coffee --normalize zscore --layers 3,1 --epochs 1000 --lr 0.05 --seed 1 --out coffee1
///     symlab train --data coffee --normalize zscore --layers 3,1 --epochs 1000 --lr 0.05 --seed 4 --out coffee4
///     symlab compare coffee1/model.json coffee4/model.json --data coffee
/// </summary>
public class AlignmentCoffeeTests
{
    internal static RunSettings Coffee(ulong seed) => new()
    {
        Data = "coffee", Normalize = InputNormalization.ZScore, Layers = [3, 1], Epochs = 1000, LearningRate = 0.05, Seed = seed, Threads = 1,
    };

    private static readonly Lazy<(Network<double> A, Network<double> B)> Pair = new(() =>
        (ModelFile.Parse<double>(TrainingRun.Execute(Coffee(1)).FinalModel, "seed 1"),
         ModelFile.Parse<double>(TrainingRun.Execute(Coffee(4)).FinalModel, "seed 4")));

    [Fact]
    public void Two_coffee_seeds_are_the_same_detectors_in_another_order()
    {
        var (a, b) = Pair.Value;
        var data = DataSource.Load("coffee").Train;
        var r = ModelComparison.Run(a, b, data);
        var layer = r.Alignment.Layers[0];
        Assert.NotEqual([0, 1, 2], layer.Permutation);               // the order differs...
        Assert.True(r.Alignment.DistanceAfter < 0.5 * r.Alignment.DistanceBefore,
            $"{r.Alignment.DistanceAfter} vs {r.Alignment.DistanceBefore}");
        Assert.Empty(layer.Unmatched);                                // ...but every unit has a partner
        Assert.True(r.Before!.Barrier > 0.1, $"barrier before {r.Before.Barrier}");
        Assert.True(r.After!.Barrier < 0.1 * r.Before.Barrier, $"barrier after {r.After.Barrier}");
        // Activation matching, which never looks at the weights, pairs the units the same way.
        Assert.Equal(layer.Permutation, r.ActivationPermutations![0]);
        // The aligned B is still B: same loss at the end of both paths.
        Assert.Equal(r.Before.Points[^1].Loss, r.After.Points[^1].Loss, 1e-9);
    }

    [Fact]
    public void Compare_command_prints_the_spec_json_and_writes_the_curve()
    {
        var (a, b) = Pair.Value;
        string dir = TestNets.TempDir();
        string fa = Path.Combine(dir, "a.json"), fb = Path.Combine(dir, "b.json"), curve = Path.Combine(dir, "curve.csv");
        ModelFile.Save(a, fa);
        ModelFile.Save(b, fb);
        var (code, output, err) = CliTests.Run("compare", fa, fb, "--data", "coffee", "--curve", curve, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var layers = root.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        var perm = layers[0].GetProperty("permutation").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([1, 2, 3], perm.Order());                        // 1-based
        Assert.Equal(new[] { 1 }, layers[1].GetProperty("permutation").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(layers[0].GetProperty("distanceAfter").GetDouble() < layers[0].GetProperty("distanceBefore").GetDouble());
        Assert.True(root.GetProperty("barrierAfter").GetDouble() < root.GetProperty("barrierBefore").GetDouble());
        var lines = File.ReadAllLines(curve);
        Assert.Equal("t,loss_before,accuracy_before,loss_after,accuracy_after", lines[0]);
        Assert.Equal(26, lines.Length);

        var (_, plain, _) = CliTests.Run("compare", fa, fb);
        Assert.Contains("A unit -> B unit", plain);
    }

    [Fact]
    public void Compare_rejects_models_of_different_shapes_naming_the_file_and_layer()
    {
        string dir = TestNets.TempDir();
        string fa = Path.Combine(dir, "a.json"), fb = Path.Combine(dir, "wide.json");
        ModelFile.Save(TestNets.Random<double>(2, [(3, SymmetryLab.Engine.Activations.Activation.Sigmoid), (1, SymmetryLab.Engine.Activations.Activation.Sigmoid)]), fa);
        ModelFile.Save(TestNets.Random<double>(2, [(4, SymmetryLab.Engine.Activations.Activation.Sigmoid), (1, SymmetryLab.Engine.Activations.Activation.Sigmoid)]), fb);
        var (code, _, err) = CliTests.Run("compare", fa, fb, "--json");
        Assert.Equal(2, code);
        Assert.Contains("wide.json", err);
        Assert.Contains("layer 1", err);
        var (needsData, _, _) = CliTests.Run("compare", fa, fa, "--method", "activations");
        Assert.Equal(2, needsData);
    }
}
