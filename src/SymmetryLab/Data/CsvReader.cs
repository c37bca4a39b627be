using System.Globalization;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Data;

/// <summary>
/// Reads a CSV of numbers (SPEC.md): comma-separated; a first row that is not all numbers is a header;
/// the target is the last column unless named (by header name or 1-based index). Strict: a ragged row,
/// an empty or non-numeric cell, NaN or infinity stops the read with FILE:LINE: what is wrong.
/// Gzip files (told by their first bytes) are decompressed on the fly and must end with their trailer.
/// </summary>
/// <remarks>
/// Memory stays near the data's own: lines are read one at a time, each at most
/// <see cref="MaxLineChars"/> long (a link to /dev/zero is one endless line), fields are parsed in
/// place, and a regular file is counted first so the arrays are allocated once at their final size
/// (a growing list and its copy would hold two to three times the data); a pipe, read once, grows
/// them. The values may not pass <see cref="DataLimits.MaxValues"/>.
/// </remarks>
public static class CsvReader
{
    /// <summary>The longest line read: a million columns of numbers fit many times over.</summary>
    public const int MaxLineChars = 1 << 26;

    /// <summary>
    /// Reads the CSV file (or .csv.gz) at <paramref name="path"/>: numbers only, an optional header, the
    /// column <paramref name="target"/> (a header name or a 1-based number; default the last) as the target.
    /// <paramref name="name"/> names the set (default: the file name without its extension).
    /// </summary>
    /// <exception cref="DataException">A malformed file; names the file, line and field.</exception>
    public static Dataset Read(string path, string? target = null, string? name = null) => Read(path, target, name, preferredTarget: null);

    /// <summary>
    /// As <see cref="Read(string, string?, string?)"/>; when no target is named and the header has a column
    /// <paramref name="preferredTarget"/>, that column is the target (predict: the one the model was trained on).
    /// </summary>
    public static Dataset Read(string path, string? target, string? name, string? preferredTarget)
    {
        long lines = 0;
        if (FileKinds.Of(path) == FileKind.Regular)
        {
            // A pipe can be read once only: it is read as it comes, its arrays growing.
            using var counter = Lines(path);
            lines = CountLines(counter, path);
        }
        using var reader = Lines(path);
        string stem = Path.GetFileName(path);
        foreach (var ext in new[] { ".gz", ".csv", ".txt" })
            if (stem.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) stem = stem[..^ext.Length];
        return Read(reader, path, target, name ?? stem, lines, preferredTarget);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>, as <see cref="Read(string, string?, string?)"/>; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="DataException">Malformed text; names the file, line and field.</exception>
    public static Dataset Read(TextReader reader, string file, string? target = null, string? name = null) =>
        Read(new LineReader(reader, file), file, target, name, expectedLines: 0, preferredTarget: null);

    private static LineReader Lines(string path) => new(new StreamReader(InputFile.Open(path, out _, out _)), path);

    /// <summary>Lines that are not blank: the data rows and the header, if any.</summary>
    private static long CountLines(LineReader reader, string file)
    {
        long count = 0;
        try
        {
            while (reader.Next() is { } line)
                if (!line.IsWhiteSpace()) count++;
        }
        catch (InvalidDataException)
        {
            return 0; // the reading pass reports where the file breaks
        }
        return count;
    }

    /// <summary><paramref name="expectedLines"/>: the non-blank lines counted beforehand (0: unknown, the arrays grow).</summary>
    private static Dataset Read(LineReader reader, string file, string? target, string? name, long expectedLines, string? preferredTarget)
    {
        string[]? header = null;
        int columns = -1, targetColumn = -1, features = 0;
        double[] x = [], y = [];
        int rows = 0;
        double[] cells = [];
        try
        {
            while (reader.Next() is { } line)
            {
                if (line.IsWhiteSpace()) continue;
                if (columns < 0)
                {
                    columns = line.Count(',') + 1;
                    cells = new double[columns];
                    if (!TryParseRow(line.Span, cells))
                    {
                        header = Header(line.Span.ToString());
                        columns = header.Length;
                        cells = new double[columns];
                        targetColumn = ResolveTarget(target ?? (preferredTarget is not null && header.Contains(preferredTarget) ? preferredTarget : null), header, columns, file);
                        continue;
                    }
                    targetColumn = ResolveTarget(target, null, columns, file);
                }
                int fields = line.Count(',') + 1;
                if (fields != columns)
                    throw DataException.At(file, reader.LineNumber, $"{fields} fields, expected {columns} as on the first line");
                if (rows == y.Length)
                {
                    // First data row: room for every counted row; later growth only if the count was unknown.
                    features = columns - 1;
                    long capacity = y.Length == 0 && expectedLines > 0 ? expectedLines - (header is null ? 0 : 1) : Math.Max(1024, 2L * y.Length);
                    DataLimits.CheckValues($"{file}:{reader.LineNumber}", capacity * columns);
                    Array.Resize(ref y, (int)capacity);
                    Array.Resize(ref x, (int)capacity * features);
                }
                ParseRow(line.Span, cells, file, reader.LineNumber, header);
                int f = 0;
                for (int c = 0; c < columns; c++)
                    if (c == targetColumn) y[rows] = cells[c]; else x[(long)rows * features + f++] = cells[c];
                rows++;
            }
        }
        catch (InvalidDataException e)
        {
            throw DataException.At(file, reader.LineNumber + 1, $"cannot be read: {e.Message}");
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

    /// <summary>
    /// The column names of a header line. A name in double quotes may hold commas, doubled quotes ("") and
    /// spaces at its ends (<see cref="CsvWriter"/> writes such names so); any other is trimmed of spaces and
    /// of stray quotes. A line whose quotes do not close as CSV's is split at every comma, as before quoting
    /// was read.
    /// </summary>
    internal static string[] Header(string line) =>
        QuotedHeader(line) ?? line.Split(',').Select(p => p.Trim().Trim('"')).ToArray();

    private static string[]? QuotedHeader(string line)
    {
        var names = new List<string>();
        int i = 0;
        while (true)
        {
            int start = i;
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i < line.Length && line[i] == '"')
            {
                var name = new System.Text.StringBuilder();
                for (i++; ; i++)
                {
                    if (i == line.Length) return null; // a quote never closed
                    if (line[i] != '"') name.Append(line[i]);
                    else if (i + 1 < line.Length && line[i + 1] == '"') name.Append(line[++i]);
                    else break;
                }
                for (i++; i < line.Length && char.IsWhiteSpace(line[i]); i++) { }
                if (i < line.Length && line[i] != ',') return null; // text after the closing quote
                names.Add(name.ToString());
            }
            else
            {
                int comma = line.IndexOf(',', i);
                i = comma < 0 ? line.Length : comma;
                names.Add(line[start..i].Trim().Trim('"'));
            }
            if (i == line.Length) return [.. names];
            i++; // past the comma
        }
    }

    /// <summary>Whether every field of <paramref name="line"/> is a number (then they are in <paramref name="cells"/>).</summary>
    private static bool TryParseRow(ReadOnlySpan<char> line, double[] cells)
    {
        int c = 0;
        foreach (var range in line.Split(','))
            if (!double.TryParse(line[range].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out cells[c++])) return false;
        return true;
    }

    private static void ParseRow(ReadOnlySpan<char> line, double[] cells, string file, long lineNumber, string[]? header)
    {
        int c = 0;
        foreach (var range in line.Split(','))
        {
            var cell = line[range].Trim();
            if (cell.Length == 0) throw DataException.At(file, lineNumber, c + 1, $"{Where(c, header)} is empty");
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw DataException.At(file, lineNumber, c + 1, $"{Where(c, header)} is not a number: '{Shorten(cell)}'");
            if (!double.IsFinite(v)) throw DataException.At(file, lineNumber, c + 1, $"{Where(c, header)} is {Shorten(cell)}, not a finite number");
            cells[c++] = v;
        }
    }

    private static string Where(int c, string[]? header) => $"field {c + 1}{(header is null ? "" : $" ({Shorten(header[c])})")}";

    private static string Shorten(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : $"{s[..40]}...";

    private static int ResolveTarget(string? target, string[]? header, int columns, string file)
    {
        if (target is null) return columns - 1;
        if (int.TryParse(target, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 1 || index > columns) throw DataException.Of($"{new Setting("target", target)}: {file} has columns 1 to {columns}");
            return index - 1;
        }
        if (header is null) throw DataException.Of($"{new Setting("target", target)}: {file} has no header row, so name the column by its 1-based index");
        int found = Array.FindIndex(header, h => h == target);
        if (found < 0) throw DataException.Of($"{new Setting("target", target)}: no such column in {file} (columns: {string.Join(", ", header.Take(20))}{(header.Length > 20 ? ", ..." : "")})");
        return found;
    }

    /// <summary>
    /// Lines of a text, each at most <see cref="MaxLineChars"/> long (<c>\n</c> ends one; a <c>\r</c> before
    /// it is dropped), handed out as spans of one reused buffer: no string per line.
    /// </summary>
    private sealed class LineReader(TextReader reader, string file) : IDisposable
    {
        private char[] _buffer = new char[1 << 16];
        private int _start, _end;
        private bool _eof;

        public long LineNumber { get; private set; }

        /// <summary>The next line (valid until the next call), or null at the end.</summary>
        public ReadOnlyMemory<char>? Next()
        {
            int scan = _start;
            while (true)
            {
                int newline = _buffer.AsSpan(scan, _end - scan).IndexOf('\n');
                if (newline >= 0 || (_eof && _start < _end))
                {
                    int at = newline >= 0 ? scan + newline : _end;
                    int stop = at > _start && _buffer[at - 1] == '\r' ? at - 1 : at;
                    var line = _buffer.AsMemory(_start, stop - _start);
                    _start = Math.Min(at + 1, _end);
                    LineNumber++;
                    return line;
                }
                if (_eof) return null;
                if (_end - _start > MaxLineChars)
                    throw DataException.At(file, LineNumber + 1, $"the line is longer than {MaxLineChars:N0} characters (is this a text file?)");
                // Move the unread part to the front (growing the buffer when one line fills it) and read more.
                int kept = _end - _start;
                if (kept == _buffer.Length) Array.Resize(ref _buffer, Math.Min(2 * _buffer.Length, MaxLineChars + 2));
                Array.Copy(_buffer, _start, _buffer, 0, kept);
                _start = 0;
                _end = kept;
                scan = kept;
                int got = reader.Read(_buffer, _end, _buffer.Length - _end);
                if (got == 0) _eof = true;
                _end += got;
            }
        }

        public void Dispose() => reader.Dispose();
    }
}

/// <summary>Span helpers of the CSV reader.</summary>
internal static class CsvSpans
{
    public static bool IsWhiteSpace(this ReadOnlyMemory<char> line) => line.Span.IsWhiteSpace();

    public static int Count(this ReadOnlyMemory<char> line, char c) => line.Span.Count(c);

}
