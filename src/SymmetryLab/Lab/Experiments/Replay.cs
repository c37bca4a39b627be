namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// One setup of an experiment as the command line runs it: the <c>symlab train</c> flags that redo it
/// (seed included) and its starting and final model files. A setup whose start no flag can name
/// (weights set by hand, a change made after initialization) starts from its own initial.json
/// (<see cref="FromInitialFile"/>: the command adds <c>--model SETUP/initial.json</c>).
/// </summary>
/// <param name="Label">The setup as the experiment's tables name it.</param>
/// <param name="Folder">Its folder name under the experiment's folder.</param>
/// <param name="Args">The train flags, without --model and --out.</param>
/// <param name="FromInitialFile">Whether the command starts from the setup's initial.json.</param>
/// <param name="InitialModel">The model file text of the start (what train writes as initial.json).</param>
/// <param name="FinalModel">The model file text after training (what train writes as model.json, byte for byte).</param>
public sealed record Replay(string Label, string Folder, IReadOnlyList<string> Args, bool FromInitialFile, string InitialModel, string FinalModel)
{
    /// <summary>The arguments of <c>symlab</c> that redo this setup into <paramref name="setupDir"/>/replay.</summary>
    public IReadOnlyList<string> CommandArgs(string setupDir) =>
        ["train", .. Args, .. (FromInitialFile ? new[] { "--model", Path.Combine(setupDir, "initial.json") } : []), "--out", Path.Combine(setupDir, "replay")];

    /// <summary>The command as a POSIX shell reads it; its replay/model.json equals <paramref name="setupDir"/>/model.json byte for byte.</summary>
    public string Command(string setupDir) => "symlab " + string.Join(" ", CommandArgs(setupDir).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:,=+@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>A folder name for a label: lower case letters, digits and dots ("constant 0.5"), the rest as single hyphens.</summary>
    public static string Slug(string label)
    {
        var chars = label.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-').ToArray();
        return string.Join("-", new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
