namespace SymmetryLab.Cli.Commands;

/// <summary>The file a flag names for writing: a file, not a folder (the write itself is atomic, in the library).</summary>
internal static class OutputFile
{
    public static string Check(string path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{flag}: needs a file name");
        if (Directory.Exists(path)) throw new UsageException($"{flag} {path}: is a folder; name the file to write");
        return path;
    }
}
