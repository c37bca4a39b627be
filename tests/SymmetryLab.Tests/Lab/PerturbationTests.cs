using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Lab;

public class PerturbationTests
{
    /// <summary>Counts, after every step, the different incoming rows (weights and bias) of layer 1 by direct comparison.</summary>
    private sealed class DistinctRowCounter : ITrainingObserver<double>
    {
        public List<int> PerStep { get; } = [];

        public void AfterStep(long step, int epoch, Network<double> network)
        {
            var layer = network.Layers[0];
            var rows = Enumerable.Range(0, layer.Units)
                .Select(j => string.Join(",", layer.Weights.Skip(j * layer.Inputs).Take(layer.Inputs).Append(layer.Biases[j]).Select(v => BitConverter.DoubleToInt64Bits(v))))
                .Distinct().Count();
            PerStep.Add(rows);
        }
    }

    [Fact]
    public void A_perturbation_of_1e_minus_12_breaks_a_symmetric_sigmoid_net_at_the_step_distinct_units_first_rise()
    {
        var (data, _) = DataSource.Load("coffee");
        var net = new Network<double>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)])
        {
            Normalization = Normalization.Fit(data.X, data.Rows, data.Features),
        };
        Assert.True(InitScheme.TryParse("zeros", "zeros", out var zeros, out _));
        zeros!.Apply(net, Rng.Stream(1, RngStream.Initialization));
        // On the outgoing weight W2[1,1]: layer 1 starts with identical incoming weights, so its split must happen during training.
        new Perturbation(1e-12, 2).Apply(net);
        Assert.Equal(1e-12, net.Layers[1].Weights[0]);

        var recorder = new SymmetryRecorder<double>(net);
        var counter = new DistinctRowCounter();
        var trainer = new Trainer<double>(net, data, new TrainingOptions { Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 40, Threads = 1 });
        trainer.Train(observer: new ObserverSet<double>(recorder, counter));

        Assert.Equal(1, recorder.DistinctAtStart[0]);
        int firstRise = counter.PerStep.FindIndex(n => n > 1) + 1; // steps are 1-based
        Assert.True(firstRise >= 1, "the perturbation should break the symmetry within the run");
        Assert.Equal(firstRise, recorder.BrokeAtStep[0]);
        // The change log holds layer 1's every change at its step, as the independent count sees them.
        var expected = counter.PerStep.Select((n, i) => (Step: (long)i + 1, n)).Where(p => p.n != (p.Step == 1 ? 1 : counter.PerStep[(int)p.Step - 2])).ToList();
        Assert.Equal(expected, recorder.Changes.Where(c => c.Layer == 1).Select(c => (c.Step, c.Distinct)));
        // Units 2 and 3 still share incoming and outgoing weights: they never split (2 distinct, not 3).
        Assert.Equal(2, counter.PerStep[^1]);
        // The gap between unit 1 and the others grows from the seed of 1e-12.
        var gaps = recorder.MinDistancePerEpoch.Select(d => d[0]!.Value).ToArray();
        Assert.True(gaps[^1] > 10 * gaps[0], $"distance {gaps[0]:G3} -> {gaps[^1]:G3}");
    }

    [Fact]
    public void Perturbing_layer_1_splits_unit_1_off_before_training_and_the_run_counts_it_at_the_start()
    {
        var r = TrainingRun.Execute(new RunSettings
        {
            Data = "coffee", Layers = [3, 1], Init = "zeros", Normalize = InputNormalization.ZScore, Optimizer = "gd", LearningRate = 0.5,
            Epochs = 5, Threads = 1, Precision = Precision.Float64, Perturb = FlagSyntax.Perturb("1e-12"),
        });
        // "The start" is initial.json, the nudged weights: unit 1 apart, units 2 and 3 still identical.
        Assert.Equal(2, r.DistinctAtStart[0]);
        Assert.Null(r.BrokeAtStep[0]); // nothing splits during training: units 2 and 3 share their outgoing weight
        Assert.Equal([[1], [2, 3]], r.Layers[0].Groups);
        Assert.Contains("W1[1,1]", r.Perturbation);
        Assert.All(r.MinDistanceHistory, d => Assert.True(d[0] > 0));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1e-3:0")]
    [InlineData("1e-3:a")]
    [InlineData("nan")]
    public void Bad_perturbations_are_refused_naming_the_flag(string text) =>
        Assert.Contains("--perturb", Assert.Throws<SettingsException>(() => FlagSyntax.Perturb(text)).Message);

    [Fact]
    public void The_library_value_checks_its_parameters_in_its_own_words()
    {
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Perturbation(double.NaN)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => new Perturbation(1e-3, 0)).ParamName);
        Assert.Equal(new Perturbation(1e-12, 2), FlagSyntax.Perturb("1e-12:2"));

        var net = Network.Create<float>(2, [Layer.Dense(2, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], Init.Constant(0.5), seed: 1);
        var missing = Assert.Throws<ArgumentException>(() => new Perturbation(1e-3, 3).Apply(net));
        Assert.StartsWith("perturbation of W3[1,1]: the network has layers 1 to 2", missing.Message);
        var swallowed = Assert.Throws<ArgumentException>(() => new Perturbation(1e-12).Apply(net));
        Assert.Contains("changes nothing in float32; use float64 (double) or a larger epsilon", swallowed.Message);
        Assert.All(new[] { missing, swallowed }, e => Assert.DoesNotContain("--", e.Message));
        Assert.Equal(0.5f, net.Layers[0].Weights[0]); // refused: nothing changed
    }

    [Fact]
    public void Symlab_train_says_the_same_refusals_with_its_flags()
    {
        var (code, _, err) = Cli.CliTests.Run("train", "--data", "coffee", "--layers", "2,1", "--init", "constant:0.5", "--epochs", "1", "--perturb", "1e-12");
        Assert.Equal(2, code);
        Assert.Equal("symlab: --perturb 1E-12: W1[1,1] = 0.5 does not change in float32; use --precision float64 or a larger EPS", err.Trim());
        (code, _, err) = Cli.CliTests.Run("train", "--data", "coffee", "--layers", "2,1", "--epochs", "1", "--perturb", "1e-3:3");
        Assert.Equal(2, code);
        Assert.Equal("symlab: --perturb 0.001:3: the network has layers 1 to 2", err.Trim());
    }
}
