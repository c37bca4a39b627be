namespace SymmetryLab.Runs.Documents;

/// <summary>
/// run.json of a run folder (SPEC.md): what ran (settings, seed and generator), so that the run can be
/// replayed and its report measured again on the same rows. <paramref name="SplitSeed"/> is null unless
/// <paramref name="Test"/> is a fraction; <paramref name="Target"/> and <paramref name="Test"/> are null
/// when not given.
/// </summary>
internal sealed record RunDocument(string Tool, ulong Seed, string Rng, string Precision, string Network, string Data, string? Target, string? Test,
    string Loss, string Optimizer, double LearningRate, int Batch, int Epochs, long Steps, string Init, double L2, double Dropout, string Normalize, ulong? SplitSeed);
