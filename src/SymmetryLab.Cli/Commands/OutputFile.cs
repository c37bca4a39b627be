namespace SymmetryLab.Cli.Commands;

/// <summary>The file a flag names for writing: a file, not a folder (the write itself is atomic, in the library).</summary>
internal static class OutputFile
{
    /// <remarks>The library's output-path rules (Serialization.OutputPath): also no device, pipe or socket, links followed.</remarks>
    public static string Check(string path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{flag}: needs a file name");
        SymmetryLab.Serialization.OutputPath.File(path, flag);
        return path;
    }
}
