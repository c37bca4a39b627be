using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Runs;

/// <summary>A run prepared and then stepped (the playground's path) ends where <c>symlab train</c>'s run ends.</summary>
public class PrepareTests
{
    [Theory]
    [InlineData("float32", "adam", 16)]
    [InlineData("float64", "gd", 0)]
    public void Prepared_and_stepped_equals_the_whole_run(string precision, string optimizer, int batch)
    {
        var s = new RunSettings
        {
            Data = "moons:n=90,noise=0.2", Layers = [4, 3, 1], HiddenActivations = [Activation.Tanh, Activation.Relu], Init = "he-uniform", Optimizer = optimizer,
            Batch = batch, Epochs = 4, Seed = 3, Normalize = InputNormalization.ZScore, Test = "0.25", Perturb = new Perturbation(1e-3), Precision = Precision.Parse(precision),
        };
        var whole = TrainingRun.Execute(s);
        string final = precision == "float64" ? Stepped<double>(s) : Stepped<float>(s);
        Assert.Equal(whole.FinalModel, final);
    }

    private static string Stepped<T>(RunSettings s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var run = TrainingRun.Prepare<T>(s, DataSource.Load(s.Data));
        Assert.Equal("tanh", run.Network.Layers[0].Activation.Name());
        Assert.Equal("relu", run.Network.Layers[1].Activation.Name());
        Assert.NotNull(run.Test);
        // Step 0 as initial.json holds it: a copy of the network, perturbation included.
        Assert.NotSame(run.Initialized, run.Network);
        Assert.Equal(run.Initialized.Layers[0].Weights, run.Network.Layers[0].Weights);
        var trainer = new Trainer<T>(run.Network, run.Train, run.Options);
        long steps = s.Epochs * ((run.Train.Rows + trainer.BatchSize - 1) / trainer.BatchSize);
        for (long i = 0; i < steps; i++) trainer.TrainStep();
        Assert.Equal(s.Epochs, trainer.Epoch);
        return ModelFile.Write(run.Network, run.Train.TargetName);
    }

    [Fact]
    public void Hidden_activations_must_match_the_hidden_layers()
    {
        var s = new RunSettings { Data = "xor", Layers = [3, 1], HiddenActivations = [Activation.Tanh, Activation.Tanh] };
        var e = Assert.Throws<SettingsException>(() => TrainingRun.Prepare<float>(s, DataSource.Load(s.Data)));
        Assert.Contains("RunSettings.Layers = [3, 1]", e.Message);
        Assert.Contains("--layers 3,1", FlagMessages.Of(e));
        var soft = s with { HiddenActivations = [Activation.Softmax] };
        Assert.Contains("softmax", Assert.Throws<SettingsException>(() => TrainingRun.Prepare<float>(soft, DataSource.Load(s.Data))).Message);
    }
}
