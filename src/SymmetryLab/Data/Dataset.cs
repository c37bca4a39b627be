namespace SymmetryLab.Data;

/// <summary>What the target column holds, which decides the default loss (SPEC.md).</summary>
public enum TargetKind
{
    /// <summary>Only 0 and 1: binary classification (bce, sigmoid).</summary>
    Binary,
    /// <summary>Integers 0..K-1 with K &gt; 2: K classes (ce, softmax).</summary>
    Classes,
    /// <summary>Anything else: regression (mse, linear).</summary>
    Continuous,
}

/// <summary>
/// A table of samples: features row-major (<see cref="Rows"/> x <see cref="Features"/>) and one target
/// per row. Loaders produce it; the engine reads it through <see cref="TargetMatrix"/>.
/// </summary>
public sealed class Dataset
{
    /// <summary>
    /// A set named <paramref name="name"/> of y.Length rows: <paramref name="x"/> holds rows x
    /// <paramref name="features"/> values row-major, <paramref name="y"/> one target per row. Feature names
    /// default to x1, x2, ...; the target's kind is read from its values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one feature.</exception>
    /// <exception cref="ArgumentException">x is not y.Length rows of <paramref name="features"/> values.</exception>
    public Dataset(string name, double[] x, double[] y, int features, string[]? featureNames = null, string targetName = "y")
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features));
        if (x.Length != y.Length * features) throw new ArgumentException($"{x.Length} feature values do not make {y.Length} rows of {features}");
        Name = name;
        X = x;
        Y = y;
        Features = features;
        FeatureNames = featureNames ?? Enumerable.Range(1, features).Select(i => $"x{i}").ToArray();
        TargetName = targetName;
        Kind = Classify(y, out int classes);
        ClassCount = classes;
    }

    /// <summary>The set's name, as messages and run records show it.</summary>
    public string Name { get; }

    /// <summary>Samples (rows).</summary>
    public int Rows => Y.Length;

    /// <summary>Features per row.</summary>
    public int Features { get; }

    /// <summary>The features, <see cref="Rows"/> x <see cref="Features"/>, row-major.</summary>
    public double[] X { get; }

    /// <summary>The target of each row.</summary>
    public double[] Y { get; }

    /// <summary>The name of each feature (a CSV header's, or x1, x2, ...).</summary>
    public string[] FeatureNames { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>What the targets hold: 0/1, class labels or numbers.</summary>
    public TargetKind Kind { get; }

    /// <summary>K for class targets (2 for binary), 0 for continuous ones.</summary>
    public int ClassCount { get; }

    /// <summary>When every row is an image (MNIST, digits01, optdigits): its shape, for drawing; otherwise null.</summary>
    public ImageShape? Image { get; init; }

    /// <summary>Rows per class label 0..K-1 (empty for continuous targets).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        if (Kind == TargetKind.Continuous) return counts;
        foreach (var v in Y) counts[(int)v]++;
        return counts;
    }

    /// <summary>The features of row <paramref name="r"/> (0-based).</summary>
    public ReadOnlySpan<double> Row(int r) => X.AsSpan(r * Features, Features);

    private static TargetKind Classify(double[] y, out int classes)
    {
        classes = 0;
        if (y.Length == 0) return TargetKind.Continuous;
        bool integers = true;
        double min = double.MaxValue, max = 0;
        var seen = new HashSet<double>();
        foreach (var v in y)
        {
            if (v < 0 || v != Math.Floor(v) || v > 100_000) { integers = false; break; }
            max = Math.Max(max, v);
            min = Math.Min(min, v);
            seen.Add(v);
        }
        // Class labels count from 0 and leave few gaps; integers like ages (20..60) are numbers to regress.
        if (!integers || min != 0 || max + 1 > 2 * seen.Count) return TargetKind.Continuous;
        classes = (int)max + 1;
        if (classes <= 2) { classes = 2; return TargetKind.Binary; }
        return TargetKind.Classes;
    }

    /// <summary>Whether every target is a class label that <paramref name="outputs"/> outputs can hold (0/1 for one output).</summary>
    public bool FitsClasses(int outputs) => Y.All(v => v >= 0 && v == Math.Floor(v) && v < Math.Max(2, outputs));

    /// <summary>
    /// Targets as the network's output layer sees them, rows x outputs: the value itself for one
    /// output, one-hot rows for K outputs over class labels (whole numbers 0..K-1, checked row by row).
    /// </summary>
    /// <exception cref="DataException">A target that is not a class label of <paramref name="outputs"/> outputs, or more targets than one array holds.</exception>
    public double[] TargetMatrix(int outputs)
    {
        if ((long)Rows * outputs > Array.MaxLength)
            throw new DataException($"{Name}: {Rows:N0} rows of {outputs:N0} outputs are more targets than one array holds");
        var t = new double[Rows * outputs];
        if (outputs == 1)
        {
            Y.CopyTo(t, 0);
            return t;
        }
        // Several outputs mean class labels 0..outputs-1, whatever the labels present here look like: a
        // subset without class 0 (iris rows 51-150, one sample of class 1) is still classes to the model.
        for (int r = 0; r < Rows; r++)
        {
            double v = Y[r];
            if (v < 0 || v != Math.Floor(v))
                throw new DataException($"{Name}: row {r + 1}: the target '{TargetName}' is {v}, not a class label, so it cannot feed {outputs} outputs");
            if (v >= outputs) throw new DataException($"{Name}: row {r + 1} has class {v}, but the network has only {outputs} outputs");
            t[(long)r * outputs + (int)v] = 1;
        }
        return t;
    }

    /// <summary>
    /// The seed of a held-out split unless one is named: a split of its own, apart from the training seed,
    /// so runs from different training seeds hold out the same rows.
    /// </summary>
    public const ulong DefaultSplitSeed = 1;

    /// <summary>
    /// A held-out split: round(rows x <paramref name="fraction"/>) rows drawn by a seeded shuffle
    /// (the seed's Split stream) become the test set; both parts keep the original row order.
    /// </summary>
    public (Dataset Train, Dataset Test) Split(double fraction, ulong seed)
    {
        int testRows = (int)Math.Round(Rows * fraction);
        if (testRows < 1 || testRows >= Rows) throw new ArgumentOutOfRangeException(nameof(fraction), $"a fraction {fraction} of {Rows} rows leaves one side empty");
        var order = Enumerable.Range(0, Rows).ToArray();
        Numerics.Rng.Stream(seed, Numerics.RngStream.Split).Shuffle(order);
        return (Subset(order[testRows..].Order().ToArray(), Name), Subset(order[..testRows].Order().ToArray(), $"{Name}-test"));
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        var x = new double[indices.Count * Features];
        var y = new double[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Row(indices[i]).CopyTo(x.AsSpan(i * Features, Features));
            y[i] = Y[indices[i]];
        }
        return new Dataset(name ?? Name, x, y, Features, FeatureNames, TargetName) { Image = Image };
    }

    /// <summary>"coffee: 200 x 2, target y (Binary, 2 classes)".</summary>
    public override string ToString() => $"{Name}: {Rows} x {Features}, target {TargetName} ({Kind}{(ClassCount > 0 ? $", {ClassCount} classes" : "")})";
}
