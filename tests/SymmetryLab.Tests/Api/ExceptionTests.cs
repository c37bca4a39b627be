using SymmetryLab.Cli;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Api;

/// <summary>
/// The library's typed exceptions speak of its parameters; the command line says the same with its
/// flags and exit codes, and never passes off a bug as bad input.
/// </summary>
public class ExceptionTests
{
    [Fact]
    public void DivergenceNamesEpochStepAndLayerInTheLibrarysTerms()
    {
        var data = new Dataset("ramp", [1, 2, 3, 4], [2, 4, 6, 8], 1);
        var net = Network.Create<double>(1, [Layer.Dense(3, Activation.Tanh), Layer.Dense(1, Activation.Linear)], Init.GlorotUniform, seed: 1);
        var e = Assert.Throws<TrainingDivergedException>(() => net.Fit(data, new TrainingOptions { Loss = Loss.Mse, Optimizer = new GradientDescent(1e300), BatchSize = null, Epochs = 5 }));
        Assert.InRange(e.Epoch, 1, 5);
        Assert.Equal(e.Epoch, e.Step); // full batch: one step an epoch
        Assert.InRange(e.Layer, 1, 2);
        Assert.Equal($"training diverged at epoch {e.Epoch} (step {e.Step}): {e.What} in layer {e.Layer}; try a smaller learning rate", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal($"training diverged at epoch {e.Epoch} (step {e.Step}): {e.What} in layer {e.Layer}; try a smaller --lr", FlagMessages.Of(e));
    }

    [Fact]
    public void TheCommandLineSaysDivergenceWithItsFlagAndExitCode3()
    {
        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--optimizer", "gd", "--lr", "1e300", "--epochs", "3", "--json");
        Assert.Equal(ExitCodes.Diverged, code);
        Assert.Matches(@"symlab: training diverged at epoch 1 \(step 1\): .* in layer \d+; try a smaller --lr", err);
        Assert.Matches(@"symlab: diagnosis: diverged: At epoch 1 \(step 1\) the numbers in layer \d+ became infinite or NaN: .*; try a smaller --lr\.", err);
    }

    [Fact]
    public void TheDiagnosisOfADivergenceAdvisesInTheLibrarysWordsAndEachFrontEndsOwn()
    {
        var d = Diagnosis.Of(new TrainingDivergedException(4, 17, 2, "a weight became NaN or infinite"));
        Assert.Equal(Diagnosis.Diverged, d.Kind);
        Assert.Equal("At epoch 4 (step 17) the numbers in layer 2 became infinite or NaN: the weights blew up, as they do when the learning rate is too large for this cost; try a smaller learning rate.", d.Explanation);
        Assert.EndsWith("; try a smaller --lr.", d.Say(FlagMessages.Words));
        var page = new SettingWords("Learning rate field", "the z-score box", "initializer", "init ");
        Assert.EndsWith("; try a smaller Learning rate field.", d.Say(page));
        Assert.Equal(d.Say(page), d.In(page).Explanation);
        Assert.Equal(d.Explanation, d.In(page).Say(SettingWords.Library));
    }

    [Fact]
    public void ALossTheOutputCannotFeedIsAModelMismatch()
    {
        var (data, _) = DataSource.Load("coffee");
        var net = Network.Create<float>(2, [Layer.Dense(2, Activation.Tanh), Layer.Dense(1, Activation.Linear)], seed: 1);
        var e = Assert.Throws<ModelMismatchException>(() => net.Fit(data, new TrainingOptions { Loss = Loss.Bce }));
        Assert.Equal("loss bce needs a sigmoid output layer, not linear", e.Message);
        Assert.Equal((Loss.Bce, Activation.Linear, Activation.Sigmoid), (e.Loss, e.Output, e.Needed));
        Assert.Equal("--loss ce needs --output-activation softmax, not sigmoid", FlagMessages.Of(ModelMismatchException.ForLoss(Loss.Ce, Activation.Sigmoid)!));
        Assert.Null(ModelMismatchException.ForLoss(Loss.Mse, Activation.Linear));
    }

    [Fact]
    public void BadDataNamesItsFileLineAndField()
    {
        string dir = TestNets.TempDir();
        string path = Path.Combine(dir, "bad.csv");
        File.WriteAllText(path, "x1,x2,y\n1,2,0\n3,oops,1\n");
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.Equal((path, 3L, 2), (e.File, e.Line, e.Field));
        Assert.StartsWith($"{path}:3: field 2 (x2) is not a number", e.Message);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TheGuardKeepsBadInputApartFromBugs()
    {
        static (int Code, string Err) Guarded(Exception e)
        {
            var err = new StringWriter();
            int code = SymlabCli.Guard(new CommandIO(new StringWriter(), err, false), () => throw e);
            return (code, err.ToString());
        }
        Assert.Equal((ExitCodes.BadInput, "symlab: --lr 0: must be a positive number\n"), Guarded(new SettingsException("--lr 0: must be a positive number")));
        Assert.Equal((ExitCodes.BadInput, "symlab: --loss bce needs --output-activation sigmoid, not relu\n"), Guarded(ModelMismatchException.ForLoss(Loss.Bce, Activation.Relu)!));
        Assert.Equal(ExitCodes.BadInput, Guarded(DataException.At("x.csv", 2, 1, "field 1 is empty")).Code);
        // An ArgumentException the command did not expect is a bug: exit 1, said as one, with its message.
        var (code, err) = Guarded(new ArgumentException("index was out of range"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("internal error (ArgumentException: index was out of range)", err);
    }
}
