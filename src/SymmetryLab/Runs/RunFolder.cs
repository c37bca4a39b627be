using System.Globalization;
using System.Text;
using System.Text.Json;
using SymmetryLab.Numerics;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// The files of <c>--out DIR</c> (SPEC.md): initial.json, model.json, history.csv, symmetry.json and
/// run.json (settings, seed and generator), and trajectory.csv with --record. The folder is written
/// whole or not at all and by one writer at a time (<see cref="StagedFolder"/>): a run that fails or
/// is killed leaves DIR as it was, a finished one replaces all of it (nothing of an earlier run stays
/// beside it), and a second run into the same DIR while one is writing it is refused.
/// </summary>
public static class RunFolder
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

    internal static string Symmetry(RunResult r) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("diagnosis", r.Diagnosis.Kind);
        w.WriteString("explanation", r.Diagnosis.Explanation);
        if (r.Perturbation is null) w.WriteNull("perturbation"); else w.WriteString("perturbation", r.Perturbation);
        w.WriteStartArray("layers");
        for (int l = 0; l < r.Layers.Count; l++)
        {
            var g = r.Layers[l];
            w.WriteStartObject();
            w.WriteNumber("layer", g.Layer);
            w.WriteNumber("units", g.Units);
            w.WriteNumber("distinct", g.Distinct);
            WriteGroups(w, "groups", g.Groups);
            WriteGroups(w, "interchangeable", g.Interchangeable);
            w.WriteNumber("distinctAtStart", r.DistinctAtStart[l]);
            if (r.BrokeAtStep[l] is { } step) w.WriteNumber("brokeAtStep", step); else w.WriteNull("brokeAtStep");
            w.WriteString("symmetry", SymmetryStory(g, r.DistinctAtStart[l], r.BrokeAtStep[l], r.Perturbation));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

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

    /// <summary>Writes <paramref name="groups"/> as the array <paramref name="name"/> of arrays of unit numbers, as symmetry.json does.</summary>
    public static void WriteGroups(Utf8JsonWriter w, string name, IReadOnlyList<int[]> groups)
    {
        w.WriteStartArray(name);
        foreach (var g in groups)
        {
            w.WriteStartArray();
            foreach (var u in g) w.WriteNumberValue(u);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static string Run(RunResult r, RunSettings s) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("tool", "symlab");
        w.WriteNumber("seed", r.Seed);
        w.WriteString("rng", Rng.Algorithm);
        w.WriteString("precision", r.Precision);
        w.WriteString("network", r.Shape);
        w.WriteString("data", s.Data);
        w.WriteString("target", s.Target);
        w.WriteString("test", s.Test);
        w.WriteString("loss", r.LossName);
        w.WriteString("optimizer", r.Optimizer);
        w.WriteNumber("learningRate", r.LearningRate);
        w.WriteNumber("batch", r.BatchSize);
        w.WriteNumber("epochs", r.Epochs);
        w.WriteNumber("steps", r.Steps);
        w.WriteString("init", r.Init);
        w.WriteNumber("l2", s.L2);
        w.WriteNumber("dropout", s.Dropout);
        w.WriteString("normalize", s.Normalize);
        if (TrainingRun.IsFraction(s.Test)) w.WriteNumber("splitSeed", s.SplitSeed); else w.WriteNull("splitSeed");
        w.WriteEndObject();
    });

    internal static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
