using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Api;

/// <summary>
/// The short public API (Network.Create, Fit, Predict, SymmetryReport) against independent answers:
/// the files <c>symlab train</c> writes for the same settings, and a forward pass computed by hand.
/// </summary>
public class PublicApiTests
{
    private static Network<T> Coffee<T>(Dataset data, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = Network.Create<T>(2, [Layer.Dense(3, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], Init.GlorotUniform, seed);
        net.Normalization = Normalization.Fit(data);
        return net;
    }

    [Fact]
    public void TheQuickStartTrainsTheModelSymlabTrainWrites()
    {
        string dir = TestNets.TempDir();
        var (code, output, err) = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--optimizer", "adam", "--lr", "0.01",
            "--batch", "32", "--epochs", "200", "--seed", "1234", "--threads", "1", "--out", dir, "--json");
        Assert.True(code == 0, err);

        var (data, _) = DataSource.Load("coffee");
        var net = Coffee<float>(data, seed: 1234);
        string initial = ModelFile.Write(net, data.TargetName);
        var history = net.Fit(data, new TrainingOptions { Optimizer = new Adam(0.01), Epochs = 200, Seed = 1234 });

        Assert.Equal(File.ReadAllText(Path.Combine(dir, "initial.json")), initial);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "model.json")), ModelFile.Write(net, data.TargetName));
        Assert.Equal(200, history.Count);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(json.RootElement.GetProperty("steps").GetInt64(), history.Steps);
        var report = SymmetryReport.Of(net, data);
        Assert.Equal(json.RootElement.GetProperty("loss").GetDouble(), report.Loss);
        Assert.Equal(json.RootElement.GetProperty("accuracy").GetDouble(), report.Accuracy);
        Assert.Equal(json.RootElement.GetProperty("diagnosis").GetString(), report.Diagnosis!.Kind);
        Assert.Equal(json.RootElement.GetProperty("explanation").GetString(), report.Diagnosis.Explanation);
        Assert.Equal(3, report.Layers[0].Distinct);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void PredictNormalizesLikeTrainingAndEqualsAForwardPassByHand()
    {
        var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Tanh), Layer.Dense(1, Activation.Sigmoid)]);
        double[] w1 = [0.5, -1.25, 2.0, 0.75], b1 = [0.1, -0.2], w2 = [1.5, -0.5], b2 = [0.3];
        w1.CopyTo(net.Layers[0].Weights, 0); b1.CopyTo(net.Layers[0].Biases, 0);
        w2.CopyTo(net.Layers[1].Weights, 0); b2.CopyTo(net.Layers[1].Biases, 0);
        net.Normalization = new Normalization([10.0, -3.0], [2.0, 0.5]);
        double[,] rows = { { 12.0, -2.5 }, { 7.0, -3.25 }, { 10.0, -3.0 } };

        var p = net.Predict(rows);

        Assert.Equal(3, p.Length);
        for (int r = 0; r < 3; r++)
        {
            double x1 = (rows[r, 0] - 10.0) / 2.0, x2 = (rows[r, 1] + 3.0) / 0.5;
            double a1 = Math.Tanh(0.5 * x1 - 1.25 * x2 + 0.1), a2 = Math.Tanh(2.0 * x1 + 0.75 * x2 - 0.2);
            double expected = 1 / (1 + Math.Exp(-(1.5 * a1 - 0.5 * a2 + 0.3)));
            Assert.Equal(expected, p[r], 1e-14);
        }
    }

    [Fact]
    public void PredictReturnsAFreshArrayThatLaterCallsLeaveAlone()
    {
        var (data, _) = DataSource.Load("coffee");
        var net = Coffee<double>(data, seed: 3);
        double[] firstRow = [data.X[0], data.X[1]];
        var one = net.Predict(firstRow);
        var copy = (double[])one.Clone();
        var all = net.Predict(data);
        Assert.Equal(copy, one);
        Assert.Equal(data.Rows, all.Length);
        Assert.Equal(one[0], all[0]);
        Assert.NotSame(all, net.Output.A);
        Assert.Throws<ArgumentException>(() => net.Predict([1.0, 2.0, 3.0]));
    }

    [Fact]
    public void PredictOnMoreRowsThanAChunkEqualsRowByRow()
    {
        var net = Network.Create<float>(3, [Layer.Dense(4, Activation.Relu), Layer.Dense(2, Activation.Softmax)], Init.HeNormal, seed: 9);
        var rng = SymmetryLab.Numerics.Rng.Stream(5, SymmetryLab.Numerics.RngStream.Initialization);
        var x = new double[2500 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var all = net.Predict(x);
        foreach (int r in new[] { 0, 1023, 1024, 2047, 2048, 2499 })
            Assert.Equal(net.Predict(x.AsSpan(r * 3, 3)), all.AsSpan(r * 2, 2).ToArray());
    }

    [Fact]
    public void OptimizerTypesTrainAsTheirNamesDo()
    {
        var (data, _) = DataSource.Load("coffee");
        foreach (var (typed, name, lr) in new (Optimizer, string, double?)[] { (new Sgd(0.1), "sgd", 0.1), (new Momentum(0.05), "momentum", 0.05), (new GradientDescent(), "gd", null), (new Adam(), "adam", null) })
        {
            var a = Coffee<double>(data, seed: 2);
            var b = Coffee<double>(data, seed: 2);
            a.Fit(data, new TrainingOptions { Optimizer = typed, Epochs = 5 });
            b.Fit(data, new TrainingOptions { Optimizer = name, LearningRate = lr, Epochs = 5 });
            Assert.Equal(ModelFile.Write(b), ModelFile.Write(a));
        }
        // SPEC.md's --batch default: the whole set for gd, 32 otherwise; a batch size that is set stays set.
        Assert.Equal((null, 32, 32, 7), (new TrainingOptions { Optimizer = new GradientDescent() }.BatchSize, new TrainingOptions { Optimizer = new Sgd() }.BatchSize,
            new TrainingOptions().BatchSize, (new TrainingOptions { BatchSize = 7 } with { Optimizer = "gd" }).BatchSize));
        Assert.Null((new TrainingOptions { Optimizer = "adam", BatchSize = null } with { Optimizer = new Sgd() }).BatchSize);
        Assert.Equal(0.01, new TrainingOptions { Optimizer = new Sgd() }.EffectiveLearningRate);
        Assert.Equal(0.001, new TrainingOptions { Optimizer = new Adam() }.EffectiveLearningRate);
        Assert.Equal(0.5, new TrainingOptions { Optimizer = new Adam(0.1), LearningRate = 0.5 }.EffectiveLearningRate);
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Parse("lbfgs"));
        Assert.Contains("gd, sgd, momentum, adam", e.Message);
    }

    [Fact]
    public void InitValuesAreTheSchemesOfTheirNames()
    {
        var layers = new[] { Layer.Dense(4, Activation.Tanh), Layer.Dense(1, Activation.Sigmoid) };
        foreach (var (scheme, text) in new[] { (Init.Uniform(-0.5, 0.25), "uniform:-0.5:0.25"), (Init.Normal(0, 0.1), "normal:0:0.1"), (Init.Constant(0.5), "constant:0.5"),
            (Init.HeUniform, "he-uniform"), (Init.Orthogonal, "orthogonal"), (Init.Symmetric(Init.GlorotUniform), "symmetric:glorot-uniform"), (Init.Zeros, "zeros") })
        {
            Assert.Equal(text, scheme.WeightName);
            var a = Network.Create<double>(3, layers, scheme, seed: 4);
            var b = Network.Create<double>(3, layers, Init.Parse(text), seed: 4);
            Assert.Equal(ModelFile.Write(b), ModelFile.Write(a));
        }
        var symmetric = Network.Create<double>(3, layers, Init.Symmetric(Init.GlorotUniform), seed: 4);
        Assert.Equal(1, UnitGroups.Find(symmetric, 0).Distinct);
        var torch = Init.TorchDefault.WithBiases(Init.TorchDefault.Weights);
        Assert.Equal("torch-default (bias torch-default)", torch.ToString());
        Assert.Throws<ArgumentException>(() => Init.Uniform(1, 0));
        // Not finite: refused as the parser refuses "constant:NaN", not drawn as NaN weights.
        Assert.Throws<ArgumentException>(() => Init.Constant(double.NaN));
        Assert.Throws<ArgumentException>(() => Init.Constant(double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => Init.Normal(0, double.NaN));
    }

    [Fact]
    public void TheReportOfASymmetricStartSaysTheUnitsNeverSplit()
    {
        var (data, _) = DataSource.Load("coffee");
        var net = Network.Create<double>(2, [Layer.Dense(4, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], Init.Symmetric(Init.GlorotUniform), seed: 7);
        net.Normalization = Normalization.Fit(data);
        net.Fit(data, new TrainingOptions { Optimizer = new GradientDescent(1.0), BatchSize = null, Epochs = 50 });

        var report = SymmetryReport.Of(net, data);

        Assert.Equal(1, report.Layers[0].Distinct);
        Assert.Equal([1], report.DistinctAtStart!.Take(1));
        Assert.Null(report.BrokeAtStep![0]);
        Assert.Equal(Diagnosis.Symmetric, report.Diagnosis!.Kind);
        Assert.Contains("layer 1: 4 units, 1 distinct: identical {1,2,3,4}", report.ToString());
    }

    [Fact]
    public void AReportWithoutATrainingRecordHasNoDiagnosis()
    {
        var (data, _) = DataSource.Load("coffee");
        var net = Coffee<double>(data, seed: 1);
        var report = SymmetryReport.Of(net, data);
        Assert.Null(report.Diagnosis);
        Assert.Null(report.BrokeAtStep);
        Assert.Equal(new Evaluator<double>(net, data, SymmetryLab.Engine.Losses.Loss.Bce, SymmetryLab.Numerics.WorkerPool.ForThreads(1)).Evaluate().Loss, report.Loss);
        Assert.Equal(0.785, report.Baseline!.Train, 3);
    }

    [Theory]
    [InlineData("coffee", 32, 0.0)]        // tiny: the lane pass by default
    [InlineData("coffee", 0, 0.0)]         // tiny, full batch
    [InlineData("xor:n=64", 16, 0.0)]      // tiny, tanh-free sigmoid net on a generator
    [InlineData("coffee", 32, 0.2)]        // dropout: the reference path either way
    public void TheReferencePathGivesTheSameBits(string set, int batch, double dropout)
    {
        var (data, _) = DataSource.Load(set);
        Network<float> Train(EngineOptions engine)
        {
            var net = Network.Create<float>(data.Features, [Layer.Dense(3, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], Init.GlorotUniform, seed: 5);
            net.Normalization = Normalization.Fit(data);
            net.Fit(data, new TrainingOptions { Optimizer = new Adam(0.05), BatchSize = batch == 0 ? null : batch, Dropout = dropout, Epochs = 30, Seed = 5, Engine = engine });
            return net;
        }
        var fast = Train(EngineOptions.Default);
        var reference = Train(EngineOptions.Reference);
        Assert.Equal(dropout == 0, fast.TookTinyPass);
        Assert.False(reference.TookTinyPass);
        Assert.Equal(ModelFile.Write(fast), ModelFile.Write(reference));
    }

    [Fact]
    public void ClassesFollowTheRuleAccuracyCountsWith()
    {
        Assert.Equal([0, 1, 1, 0], Metrics.Classes<double>([0.49999, 0.5, 0.97, double.NaN], 1));
        Assert.Equal([2, 0, 1], Metrics.Classes<float>([0.1f, 0.2f, 0.7f, 0.5f, 0.5f, 0f, 0.2f, 0.6f, 0.2f], 3));
        var (data, _) = DataSource.Load("coffee");
        var net = Coffee<double>(data, seed: 4);
        net.Fit(data, new TrainingOptions { Optimizer = new Adam(0.05), Epochs = 20 });
        var classes = Metrics.Classes<double>(net.Predict(data), 1);
        double accuracy = classes.Where((c, r) => c == data.Y[r]).Count() / (double)data.Rows;
        Assert.Equal(SymmetryReport.Of(net, data).Accuracy, accuracy);
    }
}
