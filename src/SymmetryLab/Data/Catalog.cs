namespace SymmetryLab.Data;

/// <summary>A built-in data set: its name, what it is, and how to load it from the shipped files.</summary>
/// <remarks>Rows, Features and Classes describe the set for <c>data list</c> without loading it (tests check them against the files);
/// TestRows counts the fixed test set, if any.</remarks>
/// <param name="Name">The name <c>--data</c> and <see cref="DataSource.Load(string, string?)"/> know it by (coffee, xor, mnist, ...).</param>
/// <param name="Description">What the features and the target are, with units.</param>
/// <param name="Source">Where the data comes from and its licence.</param>
/// <param name="LoadTrain">Loads the training set from the data folder it is given.</param>
/// <param name="LoadTest">Loads the fixed test set from the data folder; null when the set has none.</param>
/// <param name="Rows">Training rows.</param>
/// <param name="Features">Features per row.</param>
/// <param name="Classes">Classes of the target (0: a regression target).</param>
/// <param name="TestRows">Rows of the fixed test set (0: none).</param>
public sealed record CatalogEntry(string Name, string Description, string Source, Func<string, Dataset> LoadTrain, Func<string, Dataset?>? LoadTest = null,
    int Rows = 0, int Features = 0, int Classes = 0, int TestRows = 0);

/// <summary>
/// The data sets that ship with SymmetryLab (in the <c>data/</c> folder beside the program, each with a
/// README giving origin, licence and checksum), by the names the lessons use.
/// </summary>
public static class Catalog
{
    /// <summary>Where the shipped files are: <c>data/</c> beside the program, or SYMLAB_DATA.</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("SYMLAB_DATA") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Every built-in set, in the order <c>symlab data list</c> shows them.</summary>
    public static IReadOnlyList<CatalogEntry> Entries { get; } =
    [
        new("coffee", "coffee roasting (MLS C2W1): temperature and duration, good roast or not",
            "DeepLearning.AI Machine Learning Specialization C2W1 lab generator (see data/coffee/README.md)",
            dir => CsvReader.Read(Path.Combine(dir, "coffee", "coffee_roasting.csv"), name: "coffee"),
            Rows: 200, Features: 2, Classes: 2),
        new("circles-dls", "two noisy circles (DLS C2W1 Initialization): 300 train, 100 fixed test points",
            "DeepLearning.AI Deep Learning Specialization C2W1 recipe, scikit-learn make_circles (see data/circles-dls/README.md)",
            dir => CsvReader.Read(Path.Combine(dir, "circles-dls", "circles_train.csv"), name: "circles-dls"),
            dir => CsvReader.Read(Path.Combine(dir, "circles-dls", "circles_test.csv"), name: "circles-dls-test"),
            Rows: 300, Features: 2, Classes: 2, TestRows: 100),
        new("digits01", "handwritten 0 and 1 like MLS C2W1's set (not its file): first 500 zeros then first 500 ones of the MNIST test set, central 20x20 crop, pixels in [0,1]",
            "MNIST test set, LeCun, Cortes and Burges (see data/mnist/README.md)",
            BuiltInSets.Digits01, Rows: 1000, Features: 400, Classes: 2),
        new("mnist-test", "MNIST test set: 28x28 handwritten digits 0-9, pixels in [0,1]",
            "MNIST test set, LeCun, Cortes and Burges (see data/mnist/README.md)",
            BuiltInSets.MnistTest, Rows: 10000, Features: 784, Classes: 10),
        new("fashion-test", "Fashion-MNIST test set: 28x28 images of 10 kinds of clothing, pixels in [0,1]",
            "Fashion-MNIST test set, Zalando Research, MIT licence (see data/fashion-mnist/README.md)",
            BuiltInSets.FashionTest, Rows: 10000, Features: 784, Classes: 10),
        new("optdigits", "UCI optical digits: 8x8 images, pixel counts 0..16, digits 0-9",
            "UCI Optical Recognition of Handwritten Digits (test part) via scikit-learn, CC BY 4.0 (see data/optdigits/README.md)",
            BuiltInSets.Optdigits, Rows: 1797, Features: 64, Classes: 10),
        new("iris", "Fisher's iris: sepal and petal length and width (cm); setosa, versicolor, virginica",
            "R.A. Fisher (1936) via scikit-learn's iris.csv (see data/iris/README.md)",
            BuiltInSets.Iris, Rows: 150, Features: 4, Classes: 3),
    ];

    /// <summary>The set named <paramref name="name"/> (any case); null if there is none.</summary>
    public static CatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
