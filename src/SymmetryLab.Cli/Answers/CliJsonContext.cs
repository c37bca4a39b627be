using System.Text.Json.Serialization;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Answers;

/// <summary>
/// System.Text.Json source generation for the commands' <c>--json</c> answers (SPEC.md): camelCase
/// names, nulls written, an optional number that is not finite written as null
/// (<see cref="FiniteOrNullConverter"/>), fields marked so left out when absent. The layout (indents,
/// escaping) is <see cref="Commands.JsonOut"/>'s.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(FiniteOrNullConverter)])]
[JsonSerializable(typeof(TrainAnswer))]
[JsonSerializable(typeof(InspectAnswer))]
[JsonSerializable(typeof(AuditAnswer))]
[JsonSerializable(typeof(PredictAnswer))]
[JsonSerializable(typeof(GradcheckAnswer))]
[JsonSerializable(typeof(ExplainAnswer))]
[JsonSerializable(typeof(CompareAnswer))]
[JsonSerializable(typeof(DataListAnswer))]
[JsonSerializable(typeof(DataShowAnswer))]
[JsonSerializable(typeof(DataExportAnswer))]
[JsonSerializable(typeof(ExperimentListAnswer))]
[JsonSerializable(typeof(ExperimentRunAnswer))]
[JsonSerializable(typeof(ReportAnswer))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
