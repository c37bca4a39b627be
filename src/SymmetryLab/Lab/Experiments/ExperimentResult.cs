namespace SymmetryLab.Lab.Experiments;

/// <summary>A statement the experiment makes about its own run, checked on the numbers it measured.</summary>
public sealed record Claim(string Text, bool Passed, string Observed);

/// <summary>A table of results: one row per run or setting.</summary>
public sealed record ResultTable(string Title, string[] Columns, List<string[]> Rows);

/// <summary>
/// What an experiment found: the question, the setup, tables, the answer in plain sentences built from
/// the measured numbers, its claims, and the figures (as data; SymmetryLab.Reports draws them).
/// </summary>
public sealed class ExperimentResult
{
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Question { get; init; }
    public required string Setup { get; init; }
    public List<ResultTable> Tables { get; } = [];
    public List<string> Answer { get; } = [];
    public List<Claim> Claims { get; } = [];
    public List<Figure> Figures { get; } = [];
    /// <summary>Every training run of the experiment as a <c>symlab train</c> command, with its start and end.</summary>
    public List<Replay> Replays { get; } = [];
    public bool Passed => Claims.All(c => c.Passed);

    /// <summary>Adds a claim checked now: <paramref name="passed"/> is computed from the run, <paramref name="observed"/> says what was seen.</summary>
    public void Claim(string text, bool passed, string observed) => Claims.Add(new Claim(text, passed, observed));
}
