using System.Text.Json.Serialization;

namespace SymmetryLab.Cli.Answers;

/// <summary><c>data list --json</c>: the built-in data sets and the generators.</summary>
internal sealed record DataListAnswer(IReadOnlyList<DatasetAnswer> Datasets, IReadOnlyList<GeneratorAnswer> Generators);

/// <summary>A built-in data set; <paramref name="TestRows"/> only when it has a test set.</summary>
internal sealed record DatasetAnswer(string Name, int Rows, int Features, int Classes, string Source, string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TestRows);

/// <summary>A generator with its defaults and parameters (the seed last).</summary>
internal sealed record GeneratorAnswer(string Name, string Description, string Usage, int Rows, int Features, int Classes, IReadOnlyList<GeneratorParameterAnswer> Parameters);

/// <summary>One parameter of a generator and its default.</summary>
internal sealed record GeneratorParameterAnswer(string Name, double Default, string Description);

/// <summary><c>data show --json</c>: the set's size, classes and class counts, its test rows (null: none), image shape and the picture written (null: none).</summary>
internal sealed record DataShowAnswer(string Name, int Rows, int Features, int Classes, int[] ClassCounts, int? TestRows, string? Image, string? Png);

/// <summary><c>data export --json</c>: the files written and their rows (the test file's null when the set has no test rows).</summary>
internal sealed record DataExportAnswer(string Csv, int Rows, string? TestCsv, int? TestRows);
