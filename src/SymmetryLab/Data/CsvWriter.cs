using System.Globalization;
using System.Text;

namespace SymmetryLab.Data;

/// <summary>
/// Writes a data set as the CSV its readers take back: a header of the feature names and the target's,
/// then one row per sample, every number in its shortest round-trip form, so reading the file gives the
/// same bits. The file appears whole or not at all (<see cref="Serialization.AtomicFile"/>).
/// </summary>
internal static class CsvWriter
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> (<paramref name="flag"/> names the path in messages).</summary>
    public static void Write(Dataset data, string path, string? flag = null) =>
        Serialization.AtomicFile.Write(path, flag, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(string.Join(",", data.FeatureNames.Append(data.TargetName).Select(Quote)));
            var line = new StringBuilder();
            for (int r = 0; r < data.Rows; r++)
            {
                line.Clear();
                foreach (var v in data.Row(r)) line.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                line.Append(data.Y[r].ToString("R", CultureInfo.InvariantCulture));
                w.WriteLine(line);
            }
        });

    /// <summary>Where the test rows of an export to <paramref name="path"/> go: out.csv -> out.test.csv.</summary>
    public static string TestPath(string path)
    {
        string name = Path.GetFileName(path);
        string stem = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Path.Combine(Path.GetDirectoryName(path) ?? "", $"{stem}.test.csv");
    }

    private static string Quote(string name) => name.IndexOfAny([',', '"', '\n', '\r']) < 0 ? name : $"\"{name.Replace("\"", "\"\"")}\"";
}
