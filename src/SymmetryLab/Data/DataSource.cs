using SymmetryLab.Data.Generators;
using SymmetryLab.Runs;

namespace SymmetryLab.Data;

/// <summary>
/// Turns a --data argument into a training set and, where the set has one, its fixed test set: an existing
/// file first, then a built-in set by name, then a generator spec (<c>circles:n=300,noise=0.05</c>).
/// </summary>
public static class DataSource
{
    /// <summary>
    /// The data <paramref name="spec"/> names: a file (CSV, .csv.gz, .npy pair, IDX), a built-in set
    /// (<see cref="Catalog"/>), or a generator spec; with the set's fixed test set, if it has one.
    /// <paramref name="target"/> picks a CSV's target column (a header name or a 1-based number).
    /// </summary>
    /// <exception cref="DataException">No such file, set or generator, or a malformed file (names the file, line and field).</exception>
    public static (Dataset Train, Dataset? Test) Load(string spec, string? target = null) => Load(spec, target, preferredTarget: null);

    /// <summary>
    /// As <see cref="Load(string, string?)"/>; a CSV whose header has the column <paramref name="preferredTarget"/>
    /// takes it as the target when <paramref name="target"/> names none (the file is read once: it may be a pipe).
    /// </summary>
    public static (Dataset Train, Dataset? Test) Load(string spec, string? target, string? preferredTarget)
    {
        // Anything at the path (a file, a pipe, a folder, or a link, dangling or looping) is a file to load,
        // and its reader says what is wrong with it; only a free name can be a built-in set or a generator.
        if (Serialization.FileKinds.Of(spec) != Serialization.FileKind.Missing || IsLink(spec)) return (LoadFile(spec, target, preferredTarget), null);
        if (Catalog.Find(spec) is { } entry)
        {
            if (target is not null) throw DataException.Of($"{new Setting("target", target)}: the built-in set '{entry.Name}' has its target already");
            return (entry.LoadTrain(Catalog.DataDirectory), entry.LoadTest?.Invoke(Catalog.DataDirectory));
        }
        if (GeneratorCatalog.TryGenerate(spec) is { } generated)
        {
            if (target is not null) throw DataException.Of($"{new Setting("target", target)}: a generated set has its target already");
            return (generated, null);
        }
        if (spec.Contains('/') || (spec.Contains('.') && !spec.Contains(':')))
            throw new DataException($"{spec}: no such file");
        throw DataException.Of($"{new Setting("spec", spec)}: not a file, a built-in data set or a generator (built in: {string.Join(", ", Catalog.Entries.Select(e => e.Name))}; generators: {string.Join(", ", GeneratorCatalog.All.Select(g => g.Name))}, e.g. circles:n=300,noise=0.05,factor=0.5)");
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The data set in the file at <paramref name="path"/>, read by its kind: CSV (.csv, .csv.gz, .txt), IDX
    /// images (with the labels file beside them) or .npy (features, with the targets' file beside them).
    /// <paramref name="target"/> and <paramref name="preferredTarget"/> as in <see cref="Load(string, string?, string?)"/>.
    /// </summary>
    /// <exception cref="DataException">A malformed or unknown file; names the file, line and field.</exception>
    public static Dataset LoadFile(string path, string? target = null, string? preferredTarget = null)
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".csv") || lower.EndsWith(".csv.gz") || lower.EndsWith(".txt"))
            return CsvReader.Read(path, target, name: null, preferredTarget);
        if (IdxReader.LooksLikeImages(path))
        {
            if (target is not null) throw DataException.Of($"{new Setting("target", target)}: an IDX images file takes its targets from the labels file beside it");
            return IdxReader.Read(path);
        }
        if (lower.EndsWith(".npy"))
        {
            if (target is not null) throw DataException.Of($"{new Setting("target", target)}: X.npy takes its targets from the y.npy beside it");
            return NpyReader.Read(path);
        }
        throw new DataException($"{path}: unknown kind of file (expected .csv, .csv.gz, *-images-idx3-ubyte[.gz] or X.npy)");
    }
}
