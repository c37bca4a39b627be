namespace SymmetryLab.Lab.Experiments;

/// <summary>How to run an experiment: <see cref="Quick"/> keeps the claims meaningful at reduced size (for CI).</summary>
public sealed record ExperimentOptions(bool Quick = false, Action<string>? Progress = null)
{
    public void Report(string message) => Progress?.Invoke(message);
}

/// <summary>A lesson's question turned into runs that answer it and claims that check the answer.</summary>
public abstract class Experiment
{
    /// <summary>The command-line name, e.g. "why-different".</summary>
    public abstract string Name { get; }
    public abstract string Title { get; }
    /// <summary>The question in the learner's words.</summary>
    public abstract string Question { get; }
    /// <summary>Which lesson it answers (a file in the lessons, or "course").</summary>
    public abstract string Lesson { get; }

    public abstract ExperimentResult Run(ExperimentOptions options);

    protected ExperimentResult NewResult(string setup) => new() { Name = Name, Title = Title, Question = Question, Setup = setup };
}
