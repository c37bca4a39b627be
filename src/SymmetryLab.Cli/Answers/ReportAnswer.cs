namespace SymmetryLab.Cli.Answers;

/// <summary><c>report --json</c>: the report's HTML file.</summary>
internal sealed record ReportAnswer(string Report);
