using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Lab;

public class DiagnosisTests
{
    /// <summary>The 2-3-1 coffee net from all-zero weights, full-batch gradient descent.</summary>
    private static RunSettings CoffeeFromZeros(Activation hidden) => new()
    {
        Data = "coffee", Layers = [3, 1], Activation = hidden, Init = "zeros", Normalize = InputNormalization.ZScore,
        Optimizer = "gd", LearningRate = 0.5, Epochs = 30, Threads = 1,
        // float64: float32 TensorPrimitives.Tanh(0) is -6e-8, not 0, which nudges a tanh net off the exact saddle.
        Precision = Precision.Float64,
    };

    /// <summary>circles-dls, 2-10-5-1 relu/relu/sigmoid, gd lr 0.01 (the DLS initialization exercise).</summary>
    private static RunSettings Circles(string init, int epochs) => new()
    {
        Data = "circles-dls", Layers = [10, 5, 1], Activation = Activation.Relu, Init = init,
        Optimizer = "gd", LearningRate = 0.01, Epochs = epochs, Threads = 1,
    };

    [Fact]
    public void Sigmoid_from_zeros_is_symmetric_the_hidden_weights_move_but_together()
    {
        var r = TrainingRun.Execute(CoffeeFromZeros(Activation.Sigmoid));
        Assert.Equal(Diagnosis.Symmetric, r.Diagnosis.Kind);
        Assert.Equal(1, r.Layers[0].Distinct);
        Assert.NotEqual(r.InitialModel, r.FinalModel);
        Assert.Null(r.BrokeAtStep[0]);
    }

    /// <summary>A 2-3-1 model file whose units 1 and 2 share incoming weights and bias; outgoing weights 1, -2, 0.7.</summary>
    private static string TwinsWithDifferentOutgoing(Activation hidden, double bias)
    {
        var net = Network.Empty<double>(2, [Layer.Dense(3, hidden), Layer.Dense(1, Activation.Sigmoid)]);
        double[] w = [0.5, -0.3, 0.5, -0.3, 0.4, 0.9];
        w.CopyTo(net.Layers[0].Weights, 0);
        net.Layers[0].Biases[0] = net.Layers[0].Biases[1] = bias;
        net.Layers[0].Biases[2] = 0.1;
        double[] v = [1, -2, 0.7];
        v.CopyTo(net.Layers[1].Weights, 0);
        string path = Path.Combine(TestNets.TempDir(), "twins.json");
        File.WriteAllText(path, SymmetryLab.Serialization.ModelFile.Write(net, DataSource.Load("xor").Train.TargetName));
        return path;
    }

    [Fact]
    public void Dead_twins_are_not_said_to_share_outgoing_weights_or_to_have_moved_together()
    {
        // Bias -5 keeps relu units 1 and 2 at 0 on every xor row: no gradient reaches them, so they stay where
        // they were, and their outgoing weights (1 and -2) differ.
        var (code, output, err) = Cli.CliTests.Run("train", "--data", "xor", "--model", TwinsWithDifferentOutgoing(Activation.Relu, -5), "--epochs", "20", "--lr", "0.01");
        Assert.True(code == 0, err);
        string diagnosis = output.Split('\n').Single(l => l.StartsWith("diagnosis:", StringComparison.Ordinal));
        Assert.Contains("units 1 and 2 have the same incoming weights and bias and never moved from where they started", diagnosis);
        Assert.DoesNotContain("same outgoing weights", diagnosis);
        Assert.DoesNotContain("moved together", diagnosis);
    }

    [Fact]
    public void Untrained_twins_with_different_outgoing_weights_are_not_promised_identical_gradients()
    {
        var (code, output, err) = Cli.CliTests.Run("train", "--data", "xor", "--model", TwinsWithDifferentOutgoing(Activation.Sigmoid, 0), "--epochs", "0");
        Assert.True(code == 0, err);
        Assert.Contains("units 1 and 2 have the same incoming weights and bias but different outgoing weights, so backpropagation can give them different gradients", output);
        Assert.DoesNotContain("get identical gradients", output);
        // And training does tell them apart.
        (code, output, err) = Cli.CliTests.Run("train", "--data", "xor", "--model", TwinsWithDifferentOutgoing(Activation.Sigmoid, 0), "--epochs", "5", "--optimizer", "gd", "--lr", "1");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("diagnosis: symmetric", output);
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Linear)]
    public void Zero_output_units_from_zeros_are_a_dead_saddle(Activation hidden)
    {
        var r = TrainingRun.Execute(CoffeeFromZeros(hidden));
        Assert.Equal(Diagnosis.DeadSaddle, r.Diagnosis.Kind);
        // Independently of the recorder: only the output bias differs between the start and the end.
        var start = SymmetryLab.Serialization.ModelFile.Parse<double>(r.InitialModel, "initial");
        var end = SymmetryLab.Serialization.ModelFile.Parse<double>(r.FinalModel, "final");
        Assert.Equal(start.Layers[0].Weights, end.Layers[0].Weights);
        Assert.Equal(start.Layers[0].Biases, end.Layers[0].Biases);
        Assert.Equal(start.Layers[1].Weights, end.Layers[1].Weights);
        Assert.NotEqual(start.Layers[1].Biases, end.Layers[1].Biases);
    }

    [Fact]
    public void Large_init_on_circles_is_saturated()
    {
        var r = TrainingRun.Execute(Circles("normal:0:10", 5));
        Assert.Equal(Diagnosis.Saturated, r.Diagnosis.Kind);
        Assert.True(r.History[0].Loss > 5, $"a saturated wrong output should make the cost large, got {r.History[0].Loss}");
    }

    [Fact]
    public void Unnormalized_coffee_saturates_the_hidden_sigmoids_rather_than_being_called_a_saddle()
    {
        // Temperatures near 200 put z far beyond +-10: sigmoid rounds to exactly 0 or 1, so g'(z) = 0 and no hidden gradient flows.
        var r = TrainingRun.Execute(new RunSettings { Data = "coffee", Layers = [3, 1], Epochs = 3, Threads = 1 });
        Assert.Equal(Diagnosis.Saturated, r.Diagnosis.Kind);
        Assert.Contains("layer 1", r.Diagnosis.Explanation);
    }

    [Fact]
    public void He_init_on_circles_is_healthy()
    {
        var r = TrainingRun.Execute(Circles("he-normal", 60));
        Assert.Equal(Diagnosis.Healthy, r.Diagnosis.Kind);
        Assert.All(r.Layers, g => Assert.Equal(g.Units, g.Distinct));
        Assert.True(r.History[^1].Loss < r.History[0].Loss);
    }

    [Fact]
    public void A_runaway_cost_is_diverged_whether_or_not_it_reaches_infinity()
    {
        var settings = new RunSettings
        {
            Data = "circles-dls", Layers = [10, 1], Activation = Activation.Relu, Loss = SymmetryLab.Engine.Losses.Loss.Mse,
            OutputActivation = Activation.Linear, Init = "he-normal", Optimizer = "gd", LearningRate = 10, Threads = 1,
        };
        var finite = TrainingRun.Execute(settings with { Epochs = 10, Precision = Precision.Float64 });
        Assert.Equal(Diagnosis.Diverged, finite.Diagnosis.Kind);
        var e = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Execute(settings with { Epochs = 300 }));
        Assert.Equal(Diagnosis.Diverged, Diagnosis.Of(e).Kind);
        Assert.Contains($"epoch {e.Epoch}", Diagnosis.Of(e).Explanation);
    }
    [Fact]
    public void Relu_units_dead_on_raw_coffee_are_blamed_on_the_unscaled_inputs_not_on_zero_weights()
    {
        // glorot-uniform weights, temperatures near 200: every relu unit whose temperature weight is negative is below 0 on every roast.
        var r = TrainingRun.Execute(new RunSettings { Data = "coffee", Layers = [3, 1], Activation = Activation.Relu, Epochs = 5, Threads = 1 });
        Assert.Equal(Diagnosis.DeadSaddle, r.Diagnosis.Kind);
        Assert.Contains("not normalized", r.Diagnosis.Explanation);
        Assert.Contains("--normalize zscore", r.Diagnosis.Explanation);
        Assert.DoesNotContain("all weights zero", r.Diagnosis.Explanation);
        Assert.DoesNotContain("every weight started at zero", r.Diagnosis.Explanation);
    }

    [Fact]
    public void The_saturated_hint_names_the_measured_cause_and_never_the_init_already_in_use()
    {
        // The bare defaults on coffee: 25-15-1 sigmoid from glorot-uniform on raw temperatures.
        var bare = TrainingRun.Execute(new RunSettings { Data = "coffee", Epochs = 2, Threads = 1 });
        Assert.Equal(Diagnosis.Saturated, bare.Diagnosis.Kind);
        Assert.Contains("not normalized (temperature_c ranges from", bare.Diagnosis.Explanation);
        Assert.Contains("--normalize zscore", bare.Diagnosis.Explanation);
        Assert.DoesNotContain("glorot-uniform", bare.Diagnosis.Explanation);

        // Large weights on small inputs: the init is the cause, and a scaled scheme is the hint.
        var big = TrainingRun.Execute(Circles("normal:0:10", 2));
        Assert.Equal(Diagnosis.Saturated, big.Diagnosis.Kind);
        Assert.Contains("--init normal:0:10", big.Diagnosis.Explanation);
        Assert.Contains("he-normal", big.Diagnosis.Explanation);
        Assert.DoesNotContain("--normalize", big.Diagnosis.Explanation);
    }

    /// <summary>symlab train's sentence with the flags the library's own sentence leaves out, by plain substitution.</summary>
    private static string WithFlags(string library) => library
        .Replace("z-score normalization", "--normalize zscore").Replace("The initializer ", "--init ").Replace("the initializer ", "--init ")
        .Replace("random initializer", "random --init").Replace("smaller learning rate", "smaller --lr").Replace("larger learning rate", "larger --lr")
        .Replace("another learning rate", "another --lr");

    [Fact]
    public void The_advice_names_no_flag_in_the_library_and_the_same_settings_as_flags_for_symlab_train()
    {
        var runs = new[]
        {
            TrainingRun.Execute(new RunSettings { Data = "coffee", Epochs = 2, Threads = 1 }), // saturated: unnormalized inputs
            TrainingRun.Execute(Circles("normal:0:10", 2)), // saturated: a large init
            TrainingRun.Execute(new RunSettings { Data = "coffee", Layers = [3, 1], Activation = Activation.Relu, Epochs = 5, Threads = 1 }), // dead relu units
            TrainingRun.Execute(CoffeeFromZeros(Activation.Tanh)), // a saddle from zeros
        };
        foreach (var r in runs)
        {
            string library = r.Diagnosis.Say(SettingWords.Library);
            Assert.DoesNotContain("--", library);
            Assert.Matches("z-score normalization|the initializer|random initializer", library);
            // The run of symlab train says the same sentence with its flags (symmetry.json and the CLI print Explanation).
            Assert.Equal(WithFlags(library), r.Diagnosis.Explanation);
            Assert.Equal(r.Diagnosis.Explanation, r.Diagnosis.Say(FlagMessages.Words));
        }
    }

    [Fact]
    public void A_program_using_the_library_gets_its_advice_in_the_librarys_words()
    {
        // Relu units on raw coffee temperatures, trained through the public API: dead units, blamed on the unscaled inputs.
        var (data, _) = DataSource.Load("coffee");
        var net = Network.Create<double>(2, [Layer.Dense(3, Activation.Relu), Layer.Dense(1, Activation.Sigmoid)], Init.GlorotUniform, seed: 1);
        net.Fit(data, new TrainingOptions { Epochs = 5 });
        var d = SymmetryReport.Of(net, data).Diagnosis!;
        Assert.Equal(Diagnosis.DeadSaddle, d.Kind);
        Assert.Contains("stays below 0 (z-score normalization)", d.Explanation);
        Assert.DoesNotContain("--", d.Explanation);
    }

    [Fact]
    public void All_zero_weights_are_named_as_the_saddle_when_they_are_the_cause()
    {
        var r = TrainingRun.Execute(CoffeeFromZeros(Activation.Tanh));
        Assert.Contains("every weight started at zero", r.Diagnosis.Explanation);
    }
}
