namespace SymmetryLab.Lab.Experiments;

/// <summary>A statement the experiment makes about its own run, checked on the numbers it measured.</summary>
/// <param name="Text">The statement.</param>
/// <param name="Passed">Whether the measured numbers bear it out.</param>
/// <param name="Observed">The numbers seen, in words.</param>
public sealed record Claim(string Text, bool Passed, string Observed);

/// <summary>A table of results: one row per run or setting.</summary>
/// <param name="Title">The table's title.</param>
/// <param name="Columns">The column headings.</param>
/// <param name="Rows">The cells, row by row, as printed.</param>
public sealed record ResultTable(string Title, string[] Columns, List<string[]> Rows);

/// <summary>
/// What an experiment found: the question, the setup, tables, the answer in plain sentences built from
/// the measured numbers, its claims, and the figures (as data; SymmetryLab.Reports draws them).
/// </summary>
public sealed class ExperimentResult
{
    /// <summary>The experiment's command-line name.</summary>
    public required string Name { get; init; }

    /// <summary>The experiment's title.</summary>
    public required string Title { get; init; }

    /// <summary>The question in the learner's words.</summary>
    public required string Question { get; init; }

    /// <summary>What was run: networks, data, optimizer, seeds.</summary>
    public required string Setup { get; init; }

    /// <summary>The measured results.</summary>
    public List<ResultTable> Tables { get; } = [];

    /// <summary>The answer, sentence by sentence, built from the measured numbers.</summary>
    public List<string> Answer { get; } = [];

    /// <summary>The statements checked on the run.</summary>
    public List<Claim> Claims { get; } = [];

    /// <summary>The figures, as data.</summary>
    public List<Figure> Figures { get; } = [];

    /// <summary>Every training run of the experiment as a <c>symlab train</c> command, with its start and end.</summary>
    public List<Replay> Replays { get; } = [];
    /// <summary>Whether every claim held.</summary>
    public bool Passed => Claims.All(c => c.Passed);

    /// <summary>Adds a claim checked now: <paramref name="passed"/> is computed from the run, <paramref name="observed"/> says what was seen.</summary>
    public void Claim(string text, bool passed, string observed) => Claims.Add(new Claim(text, passed, observed));
}
