namespace SymmetryLab.Data;

/// <summary>A built-in data set: its name, what it is, and how to load it from the shipped files.</summary>
public sealed record CatalogEntry(string Name, string Description, string Source, Func<string, Dataset> LoadTrain, Func<string, Dataset?>? LoadTest = null);

/// <summary>
/// The data sets that ship with SymmetryLab (in the <c>data/</c> folder beside the program, each with a
/// README giving origin, licence and checksum), by the names the lessons use.
/// </summary>
public static class Catalog
{
    /// <summary>Where the shipped files are: <c>data/</c> beside the program, or SYMLAB_DATA.</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("SYMLAB_DATA") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "data");

    public static IReadOnlyList<CatalogEntry> Entries { get; } =
    [
        new("coffee", "coffee roasting (MLS C2W1): temperature and duration, good roast or not; 200 x 2",
            "DeepLearning.AI Machine Learning Specialization C2W1 lab generator (see data/coffee/README.md)",
            dir => CsvReader.Read(Path.Combine(dir, "coffee", "coffee_roasting.csv"), name: "coffee")),
        new("circles-dls", "two noisy circles (DLS C2W1 Initialization): 300 train, 100 test points",
            "DeepLearning.AI Deep Learning Specialization C2W1 recipe, scikit-learn make_circles (see data/circles-dls/README.md)",
            dir => CsvReader.Read(Path.Combine(dir, "circles-dls", "circles_train.csv"), name: "circles-dls"),
            dir => CsvReader.Read(Path.Combine(dir, "circles-dls", "circles_test.csv"), name: "circles-dls-test")),
    ];

    public static CatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
