using System.Text.Json.Serialization;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Api;

/// <summary>
/// System.Text.Json source generation for the playground's answers and events (SPEC.md, "The playground's
/// API"): camelCase names, compact, System.Text.Json's default escaping, nulls written; an optional number
/// that is not finite as null (the library's <see cref="FiniteOrNullConverter"/>) and numbers of the run's
/// precision in their shortest round-trip text, null when not finite (<see cref="FiniteNumbersConverter{T}"/>);
/// fields marked so are left out when absent. The requests are read by hand, field by field, with their own
/// messages (<see cref="PlaygroundState.Parse"/>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(FiniteOrNullConverter), typeof(FiniteNumbersConverter<float>), typeof(FiniteNumbersConverter<double>)])]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(CatalogAnswer))]
[JsonSerializable(typeof(PlaygroundState))]
[JsonSerializable(typeof(StateAnswer))]
[JsonSerializable(typeof(SessionStateAnswer))]
[JsonSerializable(typeof(ControlAnswer))]
[JsonSerializable(typeof(ExplainAnswer))]
[JsonSerializable(typeof(UploadAnswer))]
[JsonSerializable(typeof(DiagnosisAnswer))]
[JsonSerializable(typeof(ReadyEvent))]
[JsonSerializable(typeof(RunEvent))]
[JsonSerializable(typeof(HistoryEvent))]
[JsonSerializable(typeof(FrameEvent<float>), TypeInfoPropertyName = "Frame32")]
[JsonSerializable(typeof(FrameEvent<double>), TypeInfoPropertyName = "Frame64")]
internal sealed partial class PlaygroundJsonContext : JsonSerializerContext;
