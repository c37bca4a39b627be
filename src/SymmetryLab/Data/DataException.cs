namespace SymmetryLab.Data;

/// <summary>Bad input: a file, line or field that cannot be used. Its message names the place.</summary>
public sealed class DataException(string message) : Exception(message)
{
    public static DataException At(string file, long line, string what) => new($"{file}:{line}: {what}");
}
