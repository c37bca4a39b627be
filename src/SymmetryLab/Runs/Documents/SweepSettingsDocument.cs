namespace SymmetryLab.Runs.Documents;

/// <summary>
/// A sweep's setup (<see cref="Sweep.Describe"/>): every setting of <see cref="RunSettings"/> but the seed,
/// the threads and the folder, null where the default applies. Written as one compact line, which
/// shards compare as text and sweep.json and summary.json embed.
/// </summary>
internal sealed record SweepSettingsDocument(string Data, string? Target, string? Layers, string Activation, string? OutputActivation, string? Loss,
    string Init, string BiasInit, string? Model, string Optimizer, double? LearningRate, int Epochs, int? Batch, double L2, double Dropout,
    string Normalize, string Precision, string? Test, ulong? SplitSeed, string? Perturb);
