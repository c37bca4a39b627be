namespace SymmetryLab.Data;

/// <summary>Turns a --data argument (a built-in name or a file) into a training set and, where the set has one, its fixed test set.</summary>
public static class DataSource
{
    public static (Dataset Train, Dataset? Test) Load(string spec, string? target = null)
    {
        if (File.Exists(spec)) return (LoadFile(spec, target), null);
        if (Catalog.Find(spec) is { } entry)
        {
            if (target is not null) throw new DataException($"--target {target}: the built-in set '{entry.Name}' has its target already");
            return (entry.LoadTrain(Catalog.DataDirectory), entry.LoadTest?.Invoke(Catalog.DataDirectory));
        }
        if (spec.Contains('/') || spec.Contains('.'))
            throw new DataException($"{spec}: no such file");
        throw new DataException($"--data {spec}: not a file and not a built-in data set (built in: {string.Join(", ", Catalog.Entries.Select(e => e.Name))})");
    }

    public static Dataset LoadFile(string path, string? target = null)
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".csv") || lower.EndsWith(".csv.gz") || lower.EndsWith(".txt"))
            return CsvReader.Read(path, target);
        throw new DataException($"{path}: unknown kind of file (expected .csv or .csv.gz)");
    }
}
