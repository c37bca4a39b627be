using System.Globalization;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Lab;

public sealed class TrajectoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"symlab-traj-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private RunSettings Coffee(int epochs, int every) => new()
    {
        Data = "coffee", Layers = [3, 1], Activation = Activation.Sigmoid, Init = "glorot-uniform", Normalize = InputNormalization.ZScore,
        Optimizer = "gd", LearningRate = 0.1, Epochs = epochs, Threads = 1, Precision = Precision.Float64, Out = _dir, RecordEvery = every,
    };

    [Fact]
    public void Trajectory_rows_follow_gradient_descent_and_history_has_a_distance_column()
    {
        var r = TrainingRun.Execute(Coffee(epochs: 6, every: 1));
        var lines = File.ReadAllLines(Path.Combine(_dir, "trajectory.csv"));
        Assert.Equal("step,parameter,value,gradient", lines[0]);
        const int parameters = 3 * 2 + 3 + 3 + 1;
        Assert.Equal(parameters * 7, lines.Length - 1); // steps 0..6
        Assert.Equal(r.TrajectoryRows, lines.Length - 1);

        // Independent of the recorder: with gd, value(s) = value(s-1) - lr * gradient(s) for every parameter.
        var rows = lines.Skip(1).Select(l =>
        {
            int q1 = l.IndexOf('"'), q2 = l.IndexOf('"', q1 + 1);
            var rest = l[(q2 + 2)..].Split(',');
            return (Step: int.Parse(l[..(q1 - 1)], CultureInfo.InvariantCulture), Name: l[(q1 + 1)..q2],
                Value: double.Parse(rest[0], CultureInfo.InvariantCulture), Gradient: rest[1] == "" ? double.NaN : double.Parse(rest[1], CultureInfo.InvariantCulture));
        }).ToList();
        var byKey = rows.ToDictionary(x => (x.Step, x.Name));
        foreach (var row in rows.Where(x => x.Step > 0))
            Assert.Equal(byKey[(row.Step - 1, row.Name)].Value - 0.1 * row.Gradient, row.Value, 14);
        Assert.Contains(rows, x => x.Name == "W1[2,1]");

        var header = File.ReadLines(Path.Combine(_dir, "history.csv")).First().Split(',');
        Assert.Contains("min_distance_layer1", header);
    }

    [Theory]
    [InlineData("weights", 1)]
    [InlineData("weights:7", 7)]
    public void Record_flags_read_into_the_number_of_steps(string text, int every) => Assert.Equal(every, FlagSyntax.Record(text));

    [Theory]
    [InlineData("weight")]
    [InlineData("weights:0")]
    [InlineData("weights:x")]
    [InlineData("weights:1:2")]
    public void Bad_record_flags_are_refused_naming_the_flag(string text) =>
        Assert.StartsWith($"--record {text}: ", Assert.Throws<SettingsException>(() => FlagSyntax.Record(text)).Message);

    [Fact]
    public void The_recorder_refuses_a_period_below_one_step_in_its_own_words_and_a_run_naming_its_setting()
    {
        Directory.CreateDirectory(_dir);
        var net = SymmetryLab.Engine.Network.Create<double>(2, [SymmetryLab.Engine.Layer.Dense(2, Activation.Sigmoid)], seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SymmetryLab.Lab.TrajectoryRecorder<double>(Path.Combine(_dir, "t.csv"), 0, net));
        Assert.Equal("every", e.ParamName);
        Assert.False(File.Exists(Path.Combine(_dir, "t.csv")));
        var s = Assert.Throws<SettingsException>(() => TrainingRun.Execute(Coffee(epochs: 1, every: 0)));
        Assert.StartsWith("RunSettings.RecordEvery = 0: ", s.Message);
        Assert.StartsWith("--record weights:0: ", FlagMessages.Of(s));
    }

    [Fact]
    public void A_trajectory_over_the_limit_is_refused_before_anything_is_written()
    {
        // 13 parameters x 200,000 steps is over 2 million rows.
        var e = Assert.Throws<SettingsException>(() => TrainingRun.Execute(Coffee(epochs: 200_000, every: 1)));
        Assert.Contains("RunSettings.RecordEvery", e.Message);
        Assert.Contains("--record", FlagMessages.Of(e));
        Assert.Contains("2,000,000", e.Message);
        Assert.False(Directory.Exists(_dir) && Directory.EnumerateFileSystemEntries(_dir).Any());
    }

    [Fact]
    public void A_diverged_run_leaves_no_trajectory_behind()
    {
        var settings = Coffee(epochs: 300, every: 1) with
        {
            Data = "circles-dls",
            Layers = [10, 1],
            Activation = Activation.Relu,
            Loss = SymmetryLab.Engine.Losses.Loss.Mse,
            OutputActivation = Activation.Linear,
            Init = "he-normal",
            LearningRate = 10,
            Precision = Precision.Float32,
        };
        Assert.Throws<SymmetryLab.Engine.TrainingDivergedException>(() => TrainingRun.Execute(settings));
        Assert.False(Directory.Exists(_dir)); // the run folder never appeared: a run that fails leaves --out as it was
    }
}
