namespace SymmetryLab.Cli.Answers;

/// <summary><c>experiment list --json</c>: every experiment with its question and lesson.</summary>
internal sealed record ExperimentListAnswer(IReadOnlyList<ExperimentEntryAnswer> Experiments);

/// <summary>One experiment of <see cref="ExperimentListAnswer"/>.</summary>
internal sealed record ExperimentEntryAnswer(string Name, string Title, string Question, string Lesson);

/// <summary>
/// <c>experiment run --json</c> (SPEC.md): whether every claim held, each claim with what was observed,
/// the answer, each setup with the command that replays it and its model files, and the report written (null: none).
/// </summary>
internal sealed record ExperimentRunAnswer(string Name, bool Passed, IReadOnlyList<ClaimAnswer> Claims, IReadOnlyList<string> Answer, IReadOnlyList<SetupAnswer> Setups, string? Report);

/// <summary>A claim of the experiment, whether it held and what was observed.</summary>
internal sealed record ClaimAnswer(string Claim, bool Passed, string Observed);

/// <summary>A setup of the experiment: the <c>symlab train</c> line that replays it (as text and as arguments) and its initial and final model files.</summary>
internal sealed record SetupAnswer(string Setup, string Command, IReadOnlyList<string> Args, string Initial, string Model);
