using System.Globalization;
using System.Text;
using SymmetryLab.Numerics;
using SymmetryLab.Runs.Documents;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// The files of <c>--out DIR</c> (SPEC.md): initial.json, model.json, history.csv, symmetry.json and
/// run.json (settings, seed and generator), and trajectory.csv with --record. The folder is written
/// whole or not at all and by one writer at a time (<see cref="StagedFolder"/>): a run that fails or
/// is killed leaves DIR as it was, a finished one replaces all of it (nothing of an earlier run stays
/// beside it), and a second run into the same DIR while one is writing it is refused.
/// </summary>
internal static class RunFolder
{
    /// <summary>What a run folder holds; a folder with any of these is an earlier run that train may replace.</summary>
    public static readonly IReadOnlyList<string> Files = ["initial.json", "model.json", "history.csv", "symmetry.json", "run.json", Lab.TrajectoryRecorder<double>.FileName];

    /// <summary>
    /// Locks <paramref name="dir"/> and opens the staging folder its files are written into. An existing
    /// folder is replaced only when it is empty or an earlier run (it holds one of <see cref="Files"/>).
    /// </summary>
    internal static StagedFolder Begin(string dir) => StagedFolder.Begin(dir, names =>
        names.Any(Files.Contains) ? null
            : $"holds {string.Join(", ", names.Take(3))}{(names.Count > 3 ? ", ..." : "")} and no symlab run; a run replaces its whole folder, so name a new or empty folder (or an earlier run's)",
        "--out");

    /// <summary>Writes the run's files into <paramref name="dir"/> (the staging folder of <see cref="Begin"/>).</summary>
    internal static void Write(string dir, RunResult r, RunSettings s)
    {
        WriteText(dir, "initial.json", r.InitialModel);
        WriteText(dir, "history.csv", History(r));
        WriteText(dir, "symmetry.json", Symmetry(r));
        WriteText(dir, "run.json", Run(r, s));
        WriteText(dir, "model.json", r.FinalModel);
    }

    private static void WriteText(string dir, string name, string text)
    {
        using var stream = new FileStream(Path.Combine(dir, name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(text);
        stream.Flush(flushToDisk: true);
    }

    private static string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    internal static string History(RunResult r)
    {
        var s = new StringBuilder("epoch,step,loss,accuracy,test_loss,test_accuracy");
        for (int l = 0; l < r.Layers.Count; l++) s.Append($",distinct_layer{l + 1}");
        for (int l = 0; l < r.Layers.Count; l++) s.Append($",min_distance_layer{l + 1}");
        s.Append('\n');
        for (int e = 0; e < r.History.Count; e++)
        {
            var h = r.History[e];
            s.Append($"{h.Epoch},{h.Step},{F(h.Loss)},{F(h.Accuracy)},{F(h.TestLoss)},{F(h.TestAccuracy)}");
            foreach (var d in r.DistinctHistory[e]) s.Append(',').Append(d);
            foreach (var d in r.MinDistanceHistory[e]) s.Append(',').Append(F(d));
            s.Append('\n');
        }
        return s.ToString();
    }

    /// <summary>symmetry.json: the diagnosis and, per layer, its groups of identical units at the end and at the start, and when they split.</summary>
    internal static string Symmetry(RunResult r) => JsonText.Indented(
        new SymmetryDocument(r.Diagnosis.Kind, r.Diagnosis.Explanation, r.Perturbation, [.. r.Layers.Select((g, l) =>
            new SymmetryLayerDocument(g.Layer, g.Units, g.Distinct, g.Groups, g.Interchangeable, r.DistinctAtStart[l], r.BrokeAtStep[l],
                SymmetryStory(g, r.DistinctAtStart[l], r.BrokeAtStep[l], r.Perturbation)))]),
        RunJsonContext.Default.SymmetryDocument);

    /// <summary>
    /// What happened to the layer's symmetry, in words. "The start" is initial.json: the weights the first
    /// step is taken from, after any <paramref name="perturbation"/> (which the words then mention).
    /// </summary>
    public static string SymmetryStory(Lab.UnitGroups g, int distinctAtStart, long? brokeAtStep, string? perturbation = null)
    {
        if (g.Units == 1) return "one unit: nothing to be symmetric with";
        string after = perturbation is null ? "" : $" (initial.json, after --perturb: {perturbation})";
        if (distinctAtStart == g.Units) return $"all units distinct from the start{after}";
        string start = $"{distinctAtStart} distinct of {g.Units} at the start{after}";
        return brokeAtStep is { } s
            ? $"{start}; the groups first split at step {s}; {g.Distinct} distinct at the end"
            : $"{start}; never split during training";
    }

    /// <summary>run.json: the settings, seed and generator of the run.</summary>
    private static string Run(RunResult r, RunSettings s) => JsonText.Indented(
        new RunDocument("symlab", r.Seed, Rng.Algorithm, r.Precision, r.Shape, s.Data, r.LossName, r.Optimizer, r.LearningRate, r.BatchSize,
            r.Epochs, r.Steps, r.Init, s.L2, s.Dropout, s.Normalize.Name, s.Target, s.Test, TrainingRun.IsFraction(s.Test) ? s.SplitSeed : null),
        RunJsonContext.Default.RunDocument);
}
