namespace SymmetryLab.Data;

/// <summary>
/// Loaders of the built-in sets whose rows need more than reading a file: the MNIST-derived sets, the
/// UCI digits (images of 8x8) and iris (whose first line is scikit-learn's, not column names).
/// </summary>
internal static class BuiltInSets
{
    public const string MnistImages = "mnist/t10k-images-idx3-ubyte.gz";
    public const string FashionImages = "fashion-mnist/t10k-images-idx3-ubyte.gz";
    public const string OptdigitsFile = "optdigits/digits.csv.gz";
    public const string IrisFile = "iris/iris.csv";

    /// <summary>Which MNIST rows and columns digits01 keeps: 4..23 (0-based) of 28, the 20x20 box MNIST centres digits in.</summary>
    public const int CropStart = 4, CropSize = 20, PerClass = 500;

    /// <summary>
    /// The lessons' 0-versus-1 set: the first 500 zeros and the first 500 ones of the MNIST test set in
    /// file order, zeros first, each cropped to its central 20x20 box and scaled to [0, 1].
    /// </summary>
    public static Dataset Digits01(string dir)
    {
        string images = Path.Combine(dir, MnistImages);
        var labels = IdxReader.ReadLabels(IdxReader.LabelsPathFor(images), classes: 10);
        // Output row of each MNIST image we keep: zeros take rows 0..499, ones 500..999.
        var rowOf = new Dictionary<int, int>();
        int zeros = 0, ones = 0;
        for (int i = 0; i < labels.Length && (zeros < PerClass || ones < PerClass); i++)
        {
            if (labels[i] == 0 && zeros < PerClass) rowOf[i] = zeros++;
            else if (labels[i] == 1 && ones < PerClass) rowOf[i] = PerClass + ones++;
        }
        if (zeros < PerClass || ones < PerClass)
            throw new DataException($"{images}: only {zeros} zeros and {ones} ones; digits01 needs {PerClass} of each");
        const int features = CropSize * CropSize;
        var x = new double[2 * PerClass * features];
        var y = new double[2 * PerClass];
        IdxReader.ReadItems(images, h =>
        {
            if (h.ItemShape is not [28, 28]) throw new DataException($"{images}: byte 8: images of {string.Join("x", h.ItemShape)}, digits01 needs 28x28");
        }, (pixels, i) =>
        {
            if (!rowOf.TryGetValue(i, out int row)) return;
            y[row] = row < PerClass ? 0 : 1;
            var dst = x.AsSpan(row * features, features);
            for (int r = 0; r < CropSize; r++)
                for (int c = 0; c < CropSize; c++)
                    dst[r * CropSize + c] = pixels[(CropStart + r) * 28 + CropStart + c] / 255.0;
        });
        var names = Enumerable.Range(0, features).Select(p => $"px{p / CropSize + 1}_{p % CropSize + 1}").ToArray();
        return new Dataset("digits01", x, y, features, names, "digit") { Image = new ImageShape(CropSize, CropSize) };
    }

    public static Dataset MnistTest(string dir) => IdxReader.Read(Path.Combine(dir, MnistImages), "mnist-test", classes: 10);

    public static Dataset FashionTest(string dir) => IdxReader.Read(Path.Combine(dir, FashionImages), "fashion-test", classes: 10);

    /// <summary>UCI optdigits (test part): 64 pixel counts 0..16 of an 8x8 image, then the digit.</summary>
    public static Dataset Optdigits(string dir)
    {
        string path = Path.Combine(dir, OptdigitsFile);
        var raw = CsvReader.Read(path, name: "optdigits");
        if (raw.Features != 64) throw new DataException($"{path}: {raw.Features + 1} columns, expected 65 (64 pixels and the digit)");
        var names = Enumerable.Range(0, 64).Select(p => $"px{p / 8 + 1}_{p % 8 + 1}").ToArray();
        return new Dataset("optdigits", raw.X, raw.Y, 64, names, "digit") { Image = new ImageShape(8, 8) };
    }

    public static readonly string[] IrisFeatures = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"];
    public static readonly string[] IrisClasses = ["setosa", "versicolor", "virginica"];

    /// <summary>
    /// scikit-learn's iris.csv: its first line <c>150,4,setosa,versicolor,virginica</c> is a count and the class
    /// names, so it is checked and replaced by the real feature names.
    /// </summary>
    public static Dataset Iris(string dir)
    {
        string path = Path.Combine(dir, IrisFile);
        var raw = CsvReader.Read(path, name: "iris");
        string[] expected = ["150", "4", .. IrisClasses];
        if (raw.Features != 4 || !raw.FeatureNames.Append(raw.TargetName).SequenceEqual(expected))
            throw DataException.At(path, 1, $"expected scikit-learn's first line {string.Join(",", expected)}");
        if (raw.Rows != 150) throw new DataException($"{path}: {raw.Rows} rows, the first line promises 150");
        return new Dataset("iris", raw.X, raw.Y, 4, IrisFeatures, "species");
    }
}
