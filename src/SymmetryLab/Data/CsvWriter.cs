using System.Globalization;
using System.Text;

namespace SymmetryLab.Data;

/// <summary>
/// Writes a data set as the CSV its readers take back: a header of the feature names and the target's,
/// then one row per sample, every number in its shortest round-trip form, so reading the file gives the
/// same bits. The file appears whole or not at all (<see cref="Serialization.AtomicFile"/>). Every name
/// reads back as written: one that <see cref="CsvReader"/> would otherwise split, trim or take for a number
/// is quoted, and one with a line break (which no line of CSV holds) or a lone surrogate is refused.
/// </summary>
public static class CsvWriter
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> (<paramref name="flag"/> names the path in messages).</summary>
    /// <exception cref="DataException">A column name holds a line break or a lone surrogate (it could not read back).</exception>
    public static void Write(Dataset data, string path, string? flag = null)
    {
        string header = Header(data);
        Serialization.AtomicFile.Write(path, flag, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(header);
            var line = new StringBuilder();
            for (int r = 0; r < data.Rows; r++)
            {
                line.Clear();
                foreach (var v in data.Row(r)) line.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                line.Append(data.Y[r].ToString("R", CultureInfo.InvariantCulture));
                w.WriteLine(line);
            }
        });
    }

    /// <summary>The header line of <paramref name="data"/>: its feature names and its target's, each quoted when it has to be.</summary>
    /// <exception cref="DataException">A name holds a line break or a lone surrogate.</exception>
    public static string Header(Dataset data) => string.Join(",", data.FeatureNames.Append(data.TargetName).Select(Quote));

    /// <summary>Where the test rows of an export to <paramref name="path"/> go: out.csv -> out.test.csv.</summary>
    public static string TestPath(string path)
    {
        string name = Path.GetFileName(path);
        string stem = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Path.Combine(Path.GetDirectoryName(path) ?? "", $"{stem}.test.csv");
    }

    /// <summary>Whether every surrogate of <paramref name="s"/> is half of a pair.</summary>
    private static bool WellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
            if (char.IsSurrogate(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[++i]))) return false;
        return true;
    }

    private static string Quote(string name)
    {
        if (name.IndexOfAny(['\n', '\r']) >= 0)
            throw new DataException($"the column name '{name.ReplaceLineEndings(" ")}' holds a line break, which a CSV header cannot hold");
        if (!WellFormed(name))
            throw new DataException($"the column name '{name}' holds half of a UTF-16 surrogate pair, which UTF-8 cannot write");
        bool plain = name.IndexOfAny([',', '"']) < 0 && name.Trim().Length == name.Length && !name.StartsWith('\uFEFF')
            && !double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return plain ? name : $"\"{name.Replace("\"", "\"\"")}\"";
    }
}
