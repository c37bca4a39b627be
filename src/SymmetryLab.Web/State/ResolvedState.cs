using System.Collections.Concurrent;
using System.Globalization;
using SymmetryLab.Data;
using SymmetryLab.Data.Generators;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

namespace SymmetryLab.Web.State;

/// <summary>
/// A state turned into what <c>symlab train</c> takes: its <see cref="RunSettings"/> and the data, loaded
/// only from the built-in catalog, a generator or the session's upload (never a path named by a request),
/// split and given its derived features. <see cref="RawTrain"/> and <see cref="RawTest"/> keep the points
/// as they were before derived features, for drawing.
/// </summary>
internal sealed record ResolvedState(PlaygroundState State, RunSettings Settings, Dataset Train, Dataset? Test, Dataset RawTrain, Dataset? RawTest)
{
    private static readonly ConcurrentDictionary<string, Lazy<(Dataset Train, Dataset? Test)>> BuiltIns = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves <paramref name="s"/>; what is wrong is a <see cref="FieldException"/> with the CLI's message.</summary>
    public static ResolvedState Resolve(PlaygroundState s, Dataset? upload, PlaygroundLimits limits)
    {
        var (rawTrain, rawTest) = LoadData(s.Data, upload, limits);
        if (s.Test is { } fraction)
        {
            // A fraction replaces the set's own test set, as --test does.
            var text = fraction.ToString("R", CultureInfo.InvariantCulture);
            (rawTrain, rawTest) = Guard("test", () => TrainingRun.SplitFraction(rawTrain, fraction, RunSettings.DefaultSplitSeed, text));
        }
        var (train, test) = (rawTrain, rawTest);
        if (s.Features is { } features)
        {
            train = Guard("features", () => DerivedFeatures.Apply(rawTrain, features));
            test = rawTest is null ? null : DerivedFeatures.Apply(rawTest, features);
        }

        if (s.Activations.Length != s.Hidden.Length)
            throw new FieldException("activations", $"activations: {s.Activations.Length} given for {s.Hidden.Length} hidden {(s.Hidden.Length == 1 ? "layer" : "layers")} (one per hidden layer)");
        var activations = s.Activations.Select((a, i) => ParseActivation(a, $"activations[{i}]", "--activation")).ToArray();
        Loss? loss = s.Loss is null ? null : LossNames.TryParse(s.Loss, out var l) ? l
            : throw new FieldException("loss", $"--loss {s.Loss}: unknown loss (known: bce, ce, mse)");
        var labels = test is null ? train : new Dataset(train.Name, new double[train.Rows + test.Rows], [.. train.Y, .. test.Y], 1, targetName: train.TargetName);
        int outputs = s.Outputs ?? TrainingRun.DefaultOutputs(labels, loss);
        if (outputs > limits.MaxUnits) throw new FieldException("outputs", $"outputs: {outputs} output units, the playground allows at most {limits.MaxUnits}");
        int[] widths = [.. s.Hidden, outputs];
        long parameters = 0;
        int fanIn = train.Features;
        foreach (int w in widths) { parameters += (long)w * (fanIn + 1); fanIn = w; }
        if (parameters > limits.MaxParameters)
            throw new FieldException("hidden", $"hidden: a network of {parameters:N0} parameters, the playground allows at most {limits.MaxParameters:N0}");
        if (s.Precision is not ("float32" or "float64")) throw new FieldException("precision", $"--precision {s.Precision}: expected float32 or float64");

        var settings = new RunSettings
        {
            Data = s.Data,
            Layers = widths,
            Activation = activations.FirstOrDefault(Activation.Sigmoid),
            HiddenActivations = activations,
            OutputActivation = s.OutputActivation is null ? null : ParseActivation(s.OutputActivation, "outputActivation", "--output-activation"),
            Loss = loss,
            Init = FlagSyntax.Init(s.Init, s.BiasInit),
            Seed = s.Seed,
            Optimizer = FlagSyntax.Optimizer(s.Optimizer),
            LearningRate = s.Lr,
            Epochs = 1, // unused: the session trains a step at a time
            Batch = s.Batch is null ? null : ParseBatch(s.Batch),
            L2 = s.L2,
            Dropout = s.Dropout,
            Normalize = FlagSyntax.Normalize(s.Normalize),
            Precision = FlagSyntax.Precision(s.Precision),
            Perturb = s.Perturb is null ? null : Guard("perturb", () => FlagSyntax.Perturb(s.Perturb)),
        };
        return new ResolvedState(s, settings, train, test, rawTrain, rawTest);
    }

    /// <summary>Whether the points can be drawn on a plane (two raw features).</summary>
    public bool IsPlanar => RawTrain.Features == 2;

    private static (Dataset Train, Dataset? Test) LoadData(string spec, Dataset? upload, PlaygroundLimits limits)
    {
        (Dataset Train, Dataset? Test) data;
        if (spec == "upload")
            data = (upload ?? throw new FieldException("data", "data upload: no CSV file has been uploaded in this session"), null);
        else if (Catalog.Find(spec) is { } entry)
            data = BuiltIns.GetOrAdd(entry.Name, _ => new Lazy<(Dataset, Dataset?)>(() => (entry.LoadTrain(Catalog.DataDirectory), entry.LoadTest?.Invoke(Catalog.DataDirectory)))).Value;
        else
        {
            CheckGeneratorSize(spec, limits);
            data = (Guard("data", () => GeneratorCatalog.TryGenerate(spec))
                ?? throw new FieldException("data", $"--data {spec}: not a built-in data set or a generator (built in: {string.Join(", ", Catalog.Entries.Select(e => e.Name))}; generators: {string.Join(", ", GeneratorCatalog.All.Select(g => g.Name))}, e.g. circles:n=300,noise=0.05,factor=0.5); a CSV file is uploaded instead"), null);
        }
        int rows = data.Train.Rows + (data.Test?.Rows ?? 0);
        if (rows > limits.MaxRows) throw new FieldException("data", $"--data {spec}: {rows:N0} rows, the playground allows at most {limits.MaxRows:N0}");
        if ((long)rows * data.Train.Features > limits.MaxValues)
            throw new FieldException("data", $"--data {spec}: {rows:N0} rows of {data.Train.Features:N0} features ({(long)rows * data.Train.Features:N0} values), the playground allows at most {limits.MaxValues:N0}");
        return data;
    }

    /// <summary>
    /// A generator's n, and its rows times features, are checked before anything is generated, so a huge n or
    /// a wide set (blobs and plane take up to 10,000 features) costs nothing. A parameter given twice counts
    /// at its largest.
    /// </summary>
    private static void CheckGeneratorSize(string spec, PlaygroundLimits limits)
    {
        int colon = spec.IndexOf(':');
        if (colon < 0 || GeneratorCatalog.Find(spec[..colon].Trim()) is not { } generator) return;
        double rows = generator.DefaultRows, features = generator.DefaultFeatures;
        foreach (var pair in spec[(colon + 1)..].Split(','))
        {
            var kv = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) continue;
            if (kv[0] == "n" && v > limits.MaxRows)
                throw new FieldException("data", $"--data {spec}: n={kv[1]} rows, the playground allows at most {limits.MaxRows:N0}");
            if (kv[0] == "n") rows = Math.Max(rows, v);
            if (kv[0] == "features") features = Math.Max(features, v);
        }
        if (rows * features > limits.MaxValues)
            throw new FieldException("data", $"--data {spec}: {rows:N0} rows of {features:N0} features ({rows * features:N0} values), the playground allows at most {limits.MaxValues:N0}");
    }

    private static Activation ParseActivation(string name, string field, string flag) =>
        ActivationNames.TryParse(name, out var a) ? a : throw new FieldException(field, $"{flag} {name}: unknown activation (known: {string.Join(", ", ActivationNames.All)})");

    private static int ParseBatch(string text)
    {
        if (text == "full") return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new FieldException("batch", $"--batch {text}: expected a whole number >= 1 or 'full'");
    }

    /// <summary>Runs a library call whose failure message is the CLI's, and names <paramref name="field"/>.</summary>
    private static TResult Guard<TResult>(string field, Func<TResult> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DataException or ArgumentException or SettingsException)
        {
            throw new FieldException(field, FlagMessages.Of(e));
        }
    }

    /// <summary>The state field a message of <c>symlab train</c> is about, from the flag it starts with.</summary>
    public static string FieldOf(string message)
    {
        var flag = message.Split(' ', ':', '/')[0];
        return flag switch
        {
            "--data" or "--target" => "data",
            "--test" => "test",
            "--layers" => "outputs",
            "--activation" => "activations",
            "--output-activation" => "outputActivation",
            "--loss" => "loss",
            "--init" => "init",
            "--bias-init" => "biasInit",
            "--optimizer" => "optimizer",
            "--lr" => "lr",
            "--batch" => "batch",
            "--l2" => "l2",
            "--dropout" => "dropout",
            "--normalize" => "normalize",
            "--precision" => "precision",
            "--perturb" => "perturb",
            "--seed" => "seed",
            _ => "data",
        };
    }
}
