namespace SymmetryLab.Engine.Accelerated;

/// <summary>What one network of a seed batch went through: the epochs it completed, and the divergence that stopped it, if any.</summary>
internal sealed class SeedBatchOutcome
{
    // Two numbers per epoch rather than a record each: a sweep of a thousand seeds over thousands of
    // epochs would otherwise keep millions of small objects alive for the collector to copy.
    private readonly double[] _loss, _accuracy;

    internal SeedBatchOutcome(int epochs, bool classification)
    {
        _loss = new double[epochs];
        _accuracy = classification ? new double[epochs] : [];
    }

    /// <summary>Epochs completed (all of them unless the network diverged).</summary>
    public int Epochs { get; private set; }

    public TrainingDivergedException? Diverged { get; internal set; }

    /// <summary>
    /// Per layer, the first step after which it had more groups of identical units than before (as
    /// <see cref="Lab.SymmetryRecorder{T}"/> records it); null if it never split, or if the trainer was
    /// not given the networks' distinct units at the start.
    /// </summary>
    public long?[] BrokeAtStep { get; internal set; } = [];

    /// <summary>One record per completed epoch, as <see cref="Trainer{T}.Train"/> returns them (full batch: step = epoch).</summary>
    public IReadOnlyList<EpochRecord> History =>
        [.. Enumerable.Range(0, Epochs).Select(e => new EpochRecord(e + 1, e + 1, _loss[e], _accuracy.Length > 0 ? _accuracy[e] : null, null, null))];

    internal void Add(double loss, double? accuracy)
    {
        _loss[Epochs] = loss;
        if (accuracy is { } a) _accuracy[Epochs] = a;
        Epochs++;
    }

    internal void RemoveLast() => Epochs--;
}
