using System.Text.Json.Serialization;
using SymmetryLab.Runs.Documents;

namespace SymmetryLab.Serialization;

/// <summary>
/// System.Text.Json source generation for the files of run and sweep folders (symmetry.json, run.json,
/// sweep.json, shard.json, summary.json, diverged.json and the lines of the parts): camelCase names,
/// nulls written (an optional number that is not finite as null: <see cref="FiniteOrNullConverter"/>),
/// and, when read, constructor parameters required and nullability respected, so that a field missing
/// or null where it may not be is an error naming it. The layout (indents, escaping) is the writer's,
/// chosen by <see cref="JsonText"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true,
    Converters = [typeof(FiniteOrNullConverter)])]
[JsonSerializable(typeof(SymmetryDocument))]
[JsonSerializable(typeof(RunDocument))]
[JsonSerializable(typeof(SweepSettingsDocument))]
[JsonSerializable(typeof(SweepIdentityDocument))]
[JsonSerializable(typeof(SweepLayoutDocument))]
[JsonSerializable(typeof(ShardDocument))]
[JsonSerializable(typeof(DivergedDocument))]
[JsonSerializable(typeof(SweepSummaryDocument))]
[JsonSerializable(typeof(FinishedLineDocument<float>), TypeInfoPropertyName = "FinishedLine32")]
[JsonSerializable(typeof(FinishedLineDocument<double>), TypeInfoPropertyName = "FinishedLine64")]
[JsonSerializable(typeof(DivergedLineDocument))]
[JsonSerializable(typeof(SweepLineDocument<float>), TypeInfoPropertyName = "SweepLine32")]
[JsonSerializable(typeof(SweepLineDocument<double>), TypeInfoPropertyName = "SweepLine64")]
internal sealed partial class RunJsonContext : JsonSerializerContext;
