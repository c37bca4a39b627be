using SymmetryLab.Serialization;

namespace SymmetryLab.Runs.Documents;

/// <summary>
/// sweep.json: everything that decides what a sweep folder will hold (not the thread count), written
/// first; a folder holding another sweep is refused, and <c>sweep merge</c> checks its shards ran the same.
/// <paramref name="Threshold"/> is null for a shard (which does not summarize).
/// </summary>
internal sealed record SweepIdentityDocument(string Format, int Version, RawJson Settings, string Seeds, int Count, ShardIndexDocument Shard,
    string Keep, double? Threshold, int PartSize, SweepLayoutDocument Layout)
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "symlab-sweep";
}

/// <summary>Which part of the seeds a folder holds (<see cref="SweepShard"/>: 1-based index of count).</summary>
internal sealed record ShardIndexDocument(int Index, int Count);

/// <summary>
/// <see cref="SweepLayout"/> in sweep.json: the inputs, each layer's units and activation, the precision,
/// the target's name and the z-score of the inputs (null: none).
/// </summary>
internal sealed record SweepLayoutDocument(int Inputs, IReadOnlyList<LayerShapeDocument> Layers, string Precision, string Target, NormalizationDocument? Normalization);

/// <summary>One layer of <see cref="SweepLayoutDocument"/>.</summary>
internal sealed record LayerShapeDocument(int Units, string Activation);

/// <summary>The z-score of the inputs: each feature's mean and standard deviation.</summary>
internal sealed record NormalizationDocument(double[] Mean, double[] Std);
