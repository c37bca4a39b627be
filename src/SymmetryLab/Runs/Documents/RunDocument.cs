using System.Text.Json.Serialization;

namespace SymmetryLab.Runs.Documents;

/// <summary>
/// run.json of a run folder (SPEC.md): what ran (settings, seed and generator), so that the run can be
/// replayed and its report measured again on the same rows. <paramref name="SplitSeed"/> is null unless
/// <paramref name="Test"/> is a fraction; <paramref name="Target"/> and <paramref name="Test"/> are null
/// when not given.
/// </summary>
/// <remarks>
/// The three fields that older run folders lack (target, test, splitSeed) come last with defaults, so a
/// reader accepts those folders; <see cref="JsonPropertyOrderAttribute"/> keeps them where run.json has
/// always written them, after data.
/// </remarks>
internal sealed record RunDocument(
    [property: JsonPropertyOrder(-1)] string Tool, [property: JsonPropertyOrder(-1)] ulong Seed, [property: JsonPropertyOrder(-1)] string Rng,
    [property: JsonPropertyOrder(-1)] string Precision, [property: JsonPropertyOrder(-1)] string Network, [property: JsonPropertyOrder(-1)] string Data,
    string Loss, string Optimizer, double LearningRate, int Batch, int Epochs, long Steps, string Init, double L2, double Dropout, string Normalize,
    [property: JsonPropertyOrder(-1)] string? Target = null, [property: JsonPropertyOrder(-1)] string? Test = null, ulong? SplitSeed = null);
