using System.Globalization;
using System.Text;

namespace SymmetryLab.Data;

/// <summary>
/// Writes a data set as the CSV its readers take back: a header of the feature names and the target's,
/// then one row per sample, every number in its shortest round-trip form, so reading the file gives the
/// same bits. The file appears whole or not at all (a temporary file beside it, then a rename).
/// </summary>
public static class CsvWriter
{
    public static void Write(Dataset data, string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var w = new StreamWriter(temp, append: false, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                w.WriteLine(string.Join(",", data.FeatureNames.Append(data.TargetName).Select(Quote)));
                var line = new StringBuilder();
                for (int r = 0; r < data.Rows; r++)
                {
                    line.Clear();
                    foreach (var v in data.Row(r)) line.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                    line.Append(data.Y[r].ToString("R", CultureInfo.InvariantCulture));
                    w.WriteLine(line);
                }
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Where the test rows of an export to <paramref name="path"/> go: out.csv -> out.test.csv.</summary>
    public static string TestPath(string path)
    {
        string name = Path.GetFileName(path);
        string stem = name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Path.Combine(Path.GetDirectoryName(path) ?? "", $"{stem}.test.csv");
    }

    private static string Quote(string name) => name.IndexOfAny([',', '"', '\n', '\r']) < 0 ? name : $"\"{name.Replace("\"", "\"\"")}\"";
}
