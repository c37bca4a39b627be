namespace SymmetryLab.Data;

/// <summary>
/// Bad input: a file, line or field that cannot be used. Its message names the place; <see cref="File"/>,
/// <see cref="Line"/> and <see cref="Field"/> give it to a program when it is known.
/// </summary>
/// <param name="message">What is wrong, and where.</param>
public sealed class DataException(string message) : Exception(message)
{
    /// <summary>The file (or data set) at fault, when known.</summary>
    public string? File { get; private init; }

    /// <summary>The 1-based line of <see cref="File"/>, when known.</summary>
    public long? Line { get; private init; }

    /// <summary>The 1-based field (column) of <see cref="Line"/>, when known.</summary>
    public int? Field { get; private init; }

    /// <summary>
    /// The message with a hole for each setting it names (Runs.Setting), which a front end names its own way; null
    /// when it names none. The library's messages name its parameters; the command line's, its flags.
    /// </summary>
    internal FormattableString? Sentence { get; private init; }

    /// <summary>Bad data described by <paramref name="sentence"/>, whose settings the message names by the library's parameters.</summary>
    internal static DataException Of(FormattableString sentence) => new(sentence.ToString(System.Globalization.CultureInfo.CurrentCulture)) { Sentence = sentence };

    /// <summary>"FILE:LINE: WHAT".</summary>
    public static DataException At(string file, long line, string what) => new($"{file}:{line}: {what}") { File = file, Line = line };

    /// <summary>"row ROW, column FIELD: WHAT", for values that came from no file (<see cref="Line"/> is the 1-based row).</summary>
    public static DataException AtRow(long row, int field, string what) => new($"row {row}, column {field}: {what}") { Line = row, Field = field };

    /// <summary>"FILE:LINE: WHAT", where WHAT names field <paramref name="field"/> (1-based).</summary>
    public static DataException At(string file, long line, int field, string what) => new($"{file}:{line}: {what}") { File = file, Line = line, Field = field };
}
