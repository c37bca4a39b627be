using System.Globalization;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Serialization;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// A run an experiment makes, in the terms of <c>symlab train</c>: the data by name, the layers, the
/// initialization (drawn from <see cref="TrainingOptions.Seed"/>, as train draws it from --seed),
/// whether inputs are z-scored, the training options, and the held-out fraction (split by the default
/// --split-seed, not by the seed, as train splits it).
/// </summary>
internal sealed record TrainSpec(string Data, int[] Layers, Activation Hidden, Activation Output, string Init, bool ZScore, TrainingOptions Options, double? Test = null)
{
    /// <summary>The train flags that run this spec (the init from --seed).</summary>
    public List<string> Args() =>
    [
        "--data", Data, .. (Test is { } f ? new[] { "--test", Setup.R(f) } : []),
        "--layers", string.Join(",", Layers), "--activation", Hidden.Name(), "--output-activation", Output.Name(),
        "--init", Init, .. (ZScore ? new[] { "--normalize", "zscore" } : []), .. Setup.TrainingArgs(Options),
    ];
}

/// <summary>Small helpers the experiments share: data by name, networks from a scheme and a seed, runs recorded for replay, number formats.</summary>
internal static class Setup
{
    public static (Dataset Train, Dataset? Test) Data(string name) => DataSource.Load(name);

    /// <summary>A float64 network with hidden <paramref name="widths"/> (output last), initialized by <paramref name="scheme"/> from <paramref name="seed"/>.</summary>
    public static Network<double> Net(Dataset data, int[] widths, Activation hidden, Activation output, string scheme, ulong seed, bool zscore = false, string biases = "zeros")
    {
        var net = Network.Create<double>(data.Features, [.. widths.Select((w, i) => Layer.Dense(w, i == widths.Length - 1 ? output : hidden))], Init.Parse(scheme, biases), seed);
        if (zscore) net.Normalization = Normalization.Fit(data);
        return net;
    }

    /// <summary>
    /// Builds and trains <paramref name="spec"/> on <paramref name="train"/> (which must be what train
    /// makes of spec.Data and spec.Test) and records it in <paramref name="result"/> as a replayable command.
    /// </summary>
    public static WatchedRun Watch(ExperimentResult result, string label, TrainSpec spec, Dataset train, Dataset? test = null)
    {
        var run = Train(spec, train, test);
        Record(result, label, spec.Args(), fromFile: false, run, train);
        return run;
    }

    /// <summary>Builds and trains <paramref name="spec"/> on <paramref name="train"/>, recording nothing.</summary>
    private static WatchedRun Train(TrainSpec spec, Dataset train, Dataset? test) =>
        WatchedRun.Train(Net(train, spec.Layers, spec.Hidden, spec.Output, spec.Init, spec.Options.Seed, spec.ZScore), train, spec.Options, test);

    /// <summary>
    /// <see cref="Watch(ExperimentResult, string, TrainSpec, Dataset, Dataset?)"/> for runs that share
    /// nothing, trained side by side (each on one core) and recorded in their order: the same runs,
    /// numbers and records as one after the other. Every label is reported before the runs start; a
    /// failure is that of the first run (in order) that failed.
    /// </summary>
    public static List<(string Label, WatchedRun Run)> WatchAll(ExperimentResult result, ExperimentOptions options, IReadOnlyList<(string Label, TrainSpec Spec, Dataset Train, Dataset? Test)> runs)
    {
        foreach (var run in runs) options.Report(run.Label);
        var trained = new WatchedRun?[runs.Count];
        SideBySide.For(runs.Count, k => trained[k] = Train(runs[k].Spec, runs[k].Train, runs[k].Test));
        var watched = new List<(string Label, WatchedRun Run)>(runs.Count);
        for (int k = 0; k < runs.Count; k++)
        {
            Record(result, runs[k].Label, runs[k].Spec.Args(), fromFile: false, trained[k]!, runs[k].Train);
            watched.Add((runs[k].Label, trained[k]!));
        }
        return watched;
    }

    /// <summary>
    /// Trains a network whose start no flag can name (weights set by hand, changed after initialization)
    /// and records it as a command that starts from its initial.json.
    /// </summary>
    public static WatchedRun Watch(ExperimentResult result, string label, Network<double> start, string data, Dataset train, TrainingOptions options, Dataset? test = null)
    {
        var run = WatchedRun.Train(start, train, options, test);
        Record(result, label, ["--data", data, .. TrainingArgs(options)], fromFile: true, run, train);
        return run;
    }

    private static void Record(ExperimentResult result, string label, List<string> args, bool fromFile, WatchedRun run, Dataset train) =>
        result.Replays.Add(new Replay(label, Replay.Slug(label), args, fromFile, ModelFile.Write(run.Initial, train.TargetName), ModelFile.Write(run.Final, train.TargetName)));

    /// <summary>The flags of <paramref name="o"/>, in float64 as every experiment trains.</summary>
    public static List<string> TrainingArgs(TrainingOptions o) =>
    [
        "--loss", o.Loss.Name(), "--seed", o.Seed.ToString(CultureInfo.InvariantCulture), "--optimizer", o.Optimizer.Name, "--lr", R(o.EffectiveLearningRate),
        "--batch", o.BatchSize is { } b ? b.ToString(CultureInfo.InvariantCulture) : "full", "--epochs", o.Epochs.ToString(CultureInfo.InvariantCulture),
        .. (o.L2 > 0 ? new[] { "--l2", R(o.L2) } : []), .. (o.Dropout > 0 ? new[] { "--dropout", R(o.Dropout) } : []), "--precision", "float64",
    ];

    public static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string F(double v, int digits = 4) => v.ToString($"F{digits}", CultureInfo.InvariantCulture);
    public static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    public static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "-";

    /// <summary>An accuracy with the majority-class baseline beside it: "78.5 % (baseline 78.5 %)".</summary>
    public static string PB(double? accuracy, double? baseline) => baseline is { } b ? $"{P(accuracy)} (baseline {P(b)})" : P(accuracy);

    /// <summary>The smallest Euclidean distance between the incoming vectors (weights and bias) of two units of a layer.</summary>
    public static double MinRowDistance(Network<double> net, int layer)
    {
        var l = net.Layers[layer - 1];
        double best = double.PositiveInfinity;
        for (int a = 0; a < l.Units; a++)
            for (int b = a + 1; b < l.Units; b++)
            {
                double d = Math.Pow(l.Biases[a] - l.Biases[b], 2);
                for (int i = 0; i < l.Inputs; i++) d += Math.Pow(l.Weight(a, i) - l.Weight(b, i), 2);
                best = Math.Min(best, Math.Sqrt(d));
            }
        return best;
    }
}
