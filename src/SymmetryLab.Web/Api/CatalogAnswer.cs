using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Api;

/// <summary>
/// <c>GET /api/catalog</c>: what the page offers (data sets, generators and their parameters, activations,
/// losses, optimizers, initializers, derived features), the server's limits, the default state and the
/// lessons with their starts.
/// </summary>
internal sealed record CatalogAnswer(
    IReadOnlyList<DatasetAnswer> Datasets, IReadOnlyList<GeneratorAnswer> Generators,
    IReadOnlyList<string> Activations, IReadOnlyList<string> Losses, IReadOnlyList<string> Optimizers, IReadOnlyList<string> Initializers, IReadOnlyList<string> Features,
    LimitsAnswer Limits, PlaygroundState DefaultState, IReadOnlyList<LessonAnswer> Lessons);

/// <summary>A built-in data set and its size.</summary>
internal sealed record DatasetAnswer(string Name, string Description, int Rows, int Features, int Classes, int TestRows);

/// <summary>A generator of data (<c>circles:n=300,noise=0.1</c>), its default number of features and its parameters.</summary>
internal sealed record GeneratorAnswer(string Name, string Description, int Features, IReadOnlyList<GeneratorParameterAnswer> Parameters);

/// <summary>A generator's parameter; <paramref name="Min"/> and <paramref name="Max"/> are null where unbounded (infinite).</summary>
internal sealed record GeneratorParameterAnswer(string Name, double Default, string Description, bool Integer, double? Min, double? Max, bool MinExclusive);

/// <summary>The sizes a server allows (<see cref="PlaygroundLimits"/>).</summary>
internal sealed record LimitsAnswer(int MaxHiddenLayers, int MaxUnits, int MaxRows, long MaxValues, long MaxParameters, int MaxUploadBytes);

/// <summary>A lesson (one per experiment): its question, what to try, the command that runs the experiment, and its starts.</summary>
internal sealed record LessonAnswer(string Name, string Title, string Question, string Lesson, string Try, string Command, IReadOnlyList<LessonStartAnswer> Starts);

/// <summary>A start of a lesson: a label and the state that opens it.</summary>
internal sealed record LessonStartAnswer(string Label, PlaygroundState State);
