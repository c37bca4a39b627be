namespace SymmetryLab.Lab.Experiments;

/// <summary>How to run an experiment: <see cref="Quick"/> keeps the claims meaningful at reduced size (for CI).</summary>
/// <param name="Quick">Run at reduced size (fewer epochs and seeds).</param>
/// <param name="Progress">Told what the experiment is doing, a line at a time; null for silence.</param>
public sealed record ExperimentOptions(bool Quick = false, Action<string>? Progress = null)
{
    /// <summary>Passes <paramref name="message"/> to <see cref="Progress"/>, if any.</summary>
    public void Report(string message) => Progress?.Invoke(message);
}

/// <summary>A lesson's question turned into runs that answer it and claims that check the answer.</summary>
public abstract class Experiment
{
    /// <summary>Only the library's experiments derive from it (<see cref="ExperimentCatalog.All"/>).</summary>
    private protected Experiment()
    {
    }

    /// <summary>The command-line name, e.g. "why-different".</summary>
    public abstract string Name { get; }

    /// <summary>A title for reports.</summary>
    public abstract string Title { get; }

    /// <summary>The question in the learner's words.</summary>
    public abstract string Question { get; }
    /// <summary>Which lesson it answers (a file in the lessons, or "course").</summary>
    public abstract string Lesson { get; }

    /// <summary>Runs it: trains its networks, measures, and checks its claims.</summary>
    public abstract ExperimentResult Run(ExperimentOptions options);

    private protected ExperimentResult NewResult(string setup) => new() { Name = Name, Title = Title, Question = Question, Setup = setup };
}
