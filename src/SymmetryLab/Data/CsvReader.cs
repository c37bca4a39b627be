using System.Globalization;
using System.IO.Compression;

namespace SymmetryLab.Data;

/// <summary>
/// Reads a CSV of numbers (SPEC.md): comma-separated; a first row that is not all numbers is a header;
/// the target is the last column unless named (by header name or 1-based index). Strict: a ragged row,
/// an empty or non-numeric cell, NaN or infinity stops the read with FILE:LINE: what is wrong.
/// Files ending in .gz are decompressed on the fly. Lines are read one at a time; a file is first
/// counted, so the arrays are allocated once at their final size (the data's own memory, not the
/// two to three times of a growing list and its copy).
/// </summary>
public static class CsvReader
{
    public static Dataset Read(string path, string? target = null, string? name = null)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: no such file");
        using var file = File.OpenRead(path);
        long lines = 0;
        if (file.CanSeek)
        {
            // A pipe can be read once only: it is read as it comes, its arrays growing.
            using (var counter = Open(file, path)) lines = CountLines(counter);
            file.Position = 0;
        }
        using var reader = Open(file, path);
        return Read(reader, path, target, name ?? Path.GetFileNameWithoutExtension(path.Replace(".gz", "")), lines);
    }

    public static Dataset Read(TextReader reader, string file, string? target = null, string? name = null) =>
        Read(reader, file, target, name, expectedLines: 0);

    /// <summary>A reader over <paramref name="file"/> (decompressed for .gz) that leaves the file open.</summary>
    private static StreamReader Open(FileStream file, string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new StreamReader(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
            : new StreamReader(file, leaveOpen: true);

    /// <summary>Lines that are not blank: the data rows and the header, if any.</summary>
    private static long CountLines(TextReader reader)
    {
        long count = 0;
        try
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
                if (!string.IsNullOrWhiteSpace(line)) count++;
        }
        catch (InvalidDataException)
        {
            return 0; // the reading pass reports where the file breaks
        }
        return count;
    }

    /// <summary><paramref name="expectedLines"/>: the non-blank lines counted beforehand (0: unknown, the arrays grow).</summary>
    private static Dataset Read(TextReader reader, string file, string? target, string? name, long expectedLines)
    {
        string[]? header = null;
        int columns = -1, targetColumn = -1, features = 0;
        double[] x = [], y = [];
        int rows = 0;
        long lineNumber = 0;
        string? line;
        var cells = new List<double>();
        try
        {
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (line.Length == 0 || line.All(char.IsWhiteSpace)) continue;
                var parts = line.Split(',');
                if (columns < 0)
                {
                    columns = parts.Length;
                    if (!parts.All(p => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    {
                        header = parts.Select(p => p.Trim().Trim('"')).ToArray();
                        targetColumn = ResolveTarget(target, header, columns, file);
                        continue;
                    }
                    targetColumn = ResolveTarget(target, null, columns, file);
                }
                if (parts.Length != columns)
                    throw DataException.At(file, lineNumber, $"{parts.Length} fields, expected {columns} as on the first line");
                if (rows == y.Length)
                {
                    // First data row: room for every counted row; later growth only if the count was unknown.
                    features = columns - 1;
                    long capacity = y.Length == 0 && expectedLines > 0 ? expectedLines - (header is null ? 0 : 1) : Math.Max(1024, 2L * y.Length);
                    if (capacity * Math.Max(features, 1) > Array.MaxLength) throw DataException.At(file, lineNumber, "too many values for one array");
                    Array.Resize(ref y, (int)capacity);
                    Array.Resize(ref x, (int)capacity * features);
                }
                cells.Clear();
                for (int c = 0; c < parts.Length; c++)
                {
                    string cell = parts[c].Trim();
                    string where = $"field {c + 1}{(header is null ? "" : $" ({header[c]})")}";
                    if (cell.Length == 0) throw DataException.At(file, lineNumber, $"{where} is empty");
                    if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                        throw DataException.At(file, lineNumber, $"{where} is not a number: '{cell}'");
                    if (!double.IsFinite(v)) throw DataException.At(file, lineNumber, $"{where} is {cell}, not a finite number");
                    cells.Add(v);
                }
                int f = 0;
                for (int c = 0; c < columns; c++)
                    if (c == targetColumn) y[rows] = cells[c]; else x[rows * features + f++] = cells[c];
                rows++;
            }
        }
        catch (InvalidDataException e)
        {
            throw DataException.At(file, lineNumber + 1, $"cannot be read: {e.Message}");
        }
        if (columns < 0 || rows == 0) throw new DataException($"{file}: no data rows");
        if (columns < 2) throw new DataException($"{file}: needs at least one feature column and a target column");
        if (rows != y.Length)
        {
            Array.Resize(ref y, rows);
            Array.Resize(ref x, rows * features);
        }
        var names = Enumerable.Range(0, columns).Where(c => c != targetColumn)
            .Select(c => header?[c] ?? $"x{c + 1}").ToArray();
        return new Dataset(name ?? file, x, y, columns - 1, names, header?[targetColumn] ?? $"column {targetColumn + 1}");
    }

    private static int ResolveTarget(string? target, string[]? header, int columns, string file)
    {
        if (target is null) return columns - 1;
        if (int.TryParse(target, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 1 || index > columns) throw new DataException($"--target {target}: {file} has columns 1 to {columns}");
            return index - 1;
        }
        if (header is null) throw new DataException($"--target {target}: {file} has no header row, so name the column by its 1-based index");
        int found = Array.FindIndex(header, h => h == target);
        if (found < 0) throw new DataException($"--target {target}: no such column in {file} (columns: {string.Join(", ", header)})");
        return found;
    }
}
