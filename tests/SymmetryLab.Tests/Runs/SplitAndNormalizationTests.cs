using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Data;

namespace SymmetryLab.Tests.Runs;

/// <summary>--test FRACTION|FILE and --normalize zscore: the split is seeded and clean, and z-scores come from training rows only.</summary>
public sealed class SplitAndNormalizationTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Feature 1 of row r is r itself, so every split row can be traced back.</summary>
    private static Dataset Numbered(int rows) =>
        new("numbered", Enumerable.Range(0, rows).SelectMany(r => new[] { r, r % 7 * 1.5 }).ToArray(),
            Enumerable.Range(0, rows).Select(r => (double)(r % 2)).ToArray(), 2);

    private static int[] Ids(Dataset d) => Enumerable.Range(0, d.Rows).Select(r => (int)d.Row(r)[0]).ToArray();

    [Fact]
    public void FractionSplitIsSeededDisjointAndComplete()
    {
        var data = Numbered(100);
        var (train, test) = TrainingRun.SplitTest(new RunSettings { Test = "0.25", SplitSeed = 7 }, data, null);
        Assert.Equal(75, train.Rows);
        Assert.Equal(25, test!.Rows);
        Assert.Empty(Ids(train).Intersect(Ids(test)));
        Assert.Equal(Enumerable.Range(0, 100), Ids(train).Concat(Ids(test)).Order());
        // Targets travel with their rows.
        Assert.All(Enumerable.Range(0, test.Rows), r => Assert.Equal(Ids(test)[r] % 2, test.Y[r]));

        var (_, again) = TrainingRun.SplitTest(new RunSettings { Test = "0.25", SplitSeed = 7, Seed = 3 }, data, null);
        var (_, other) = TrainingRun.SplitTest(new RunSettings { Test = "0.25", SplitSeed = 8 }, data, null);
        Assert.Equal(Ids(test), Ids(again!));
        Assert.NotEqual(Ids(test), Ids(other!));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("0.001")] // rounds to no test row out of 100
    public void FractionsThatLeaveASideEmptyAreRejected(string fraction)
    {
        Assert.Throws<SettingsException>(() => TrainingRun.SplitTest(new RunSettings { Test = fraction }, Numbered(100), null));
    }

    [Fact]
    public void BuiltInFixedTestSetIsUsedUnlessTestIsGiven()
    {
        var (train, fixedTest) = DataSource.Load("circles-dls");
        var (_, test) = TrainingRun.SplitTest(new RunSettings(), train, fixedTest);
        Assert.Equal(100, test!.Rows);
        var (splitTrain, splitTest) = TrainingRun.SplitTest(new RunSettings { Test = "0.2" }, train, fixedTest);
        Assert.Equal((240, 60), (splitTrain.Rows, splitTest!.Rows));

        var run = TrainingRun.Execute(new RunSettings { Data = "circles-dls", Layers = [5, 1], Epochs = 1, Threads = 1 });
        Assert.NotNull(run.TestAccuracy);
    }

    [Fact]
    public void TestFileWithOtherFeatureCountIsADataError()
    {
        string test = _files.WriteText("test.csv", "a,y\n1,0\n");
        var e = Assert.Throws<DataException>(() => TrainingRun.SplitTest(new RunSettings { Test = test }, Numbered(10), null));
        Assert.StartsWith(test, e.Message);
    }

    [Fact]
    public void ZScoreComesFromTheTrainingFileNotTheTestFile()
    {
        // Training rows 1..4 and 10..40; test rows in the thousands, which would move any statistic that saw them.
        string train = _files.WriteText("train.csv", "a,b,y\n1,10,0\n2,20,1\n3,30,0\n4,40,1\n");
        string test = _files.WriteText("test.csv", "a,b,y\n1000,5000,0\n2000,9000,1\n");
        var run = TrainingRun.Execute(new RunSettings { Data = train, Test = test, Normalize = InputNormalization.ZScore, Layers = [2, 1], Epochs = 1, Threads = 1 });
        var (mean, std) = Stats(run.FinalModel);
        Assert.Equal([2.5, 25], mean);
        // Population sd of 1,2,3,4 is sqrt(1.25); of 10..40, ten times that.
        Assert.Equal(Math.Sqrt(1.25), std[0], 12);
        Assert.Equal(Math.Sqrt(125), std[1], 12);
        Assert.NotNull(run.TestLoss);
    }

    [Fact]
    public void ZScoreComesFromTheTrainingSplitOfAFraction()
    {
        var rows = Enumerable.Range(0, 40).Select(r => $"{r},{r * r},{r % 2}");
        string path = _files.WriteText("all.csv", "a,b,y\n" + string.Join("\n", rows) + "\n");
        var settings = new RunSettings { Data = path, Test = "0.25", Seed = 3, Normalize = InputNormalization.ZScore, Layers = [2, 1], Epochs = 1, Threads = 1 };
        var (trainSplit, _) = TrainingRun.SplitTest(settings, DataSource.LoadFile(path), null);
        var ids = Ids(trainSplit);
        Assert.Equal(30, ids.Length);
        double meanA = ids.Average(), meanB = ids.Average(i => (double)i * i);
        double sdA = Math.Sqrt(ids.Average(i => (i - meanA) * (i - meanA)));

        var (mean, std) = Stats(TrainingRun.Execute(settings).FinalModel);
        Assert.Equal(meanA, mean[0], 12);
        Assert.Equal(meanB, mean[1], 9);
        Assert.Equal(sdA, std[0], 12);
        Assert.NotEqual(19.5, mean[0]); // the mean of all 40 rows
    }

    private static (double[] Mean, double[] Std) Stats(string modelJson)
    {
        using var doc = JsonDocument.Parse(modelJson);
        var n = doc.RootElement.GetProperty("normalization");
        return (n.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                n.GetProperty("std").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }
}
