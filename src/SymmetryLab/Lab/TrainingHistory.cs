using System.Collections;
using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// What <see cref="NetworkTraining.Fit{T}"/> did: one record per epoch, and what the lab needs to read
/// the run afterwards (the network before the first step, the <see cref="SymmetryRecorder{T}"/>, the
/// data and options). <see cref="SymmetryReport.Of{T}(TrainingHistory{T})"/> turns it into groups and a diagnosis.
/// </summary>
/// <typeparam name="T">The precision of the network.</typeparam>
public sealed class TrainingHistory<T> : IReadOnlyList<EpochRecord> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<EpochRecord> _epochs;

    internal TrainingHistory(Network<T> start, Network<T> network, IReadOnlyList<EpochRecord> epochs, long steps, int batchSize, TrainingOptions options, SymmetryRecorder<T> recorder, Dataset train, Dataset? test)
    {
        Start = start;
        Network = network;
        _epochs = epochs;
        Steps = steps;
        BatchSize = batchSize;
        Options = options;
        Recorder = recorder;
        Train = train;
        Test = test;
    }

    /// <summary>A copy of the network as it was before the first step.</summary>
    public Network<T> Start { get; }

    /// <summary>The network that was trained (the caller's, changed in place).</summary>
    public Network<T> Network { get; }

    /// <summary>Optimizer steps taken.</summary>
    public long Steps { get; }

    /// <summary>The rows per step (the whole training set for full-batch training).</summary>
    public int BatchSize { get; }

    /// <summary>The options it was trained with.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The lab's record of the run: distinct units per epoch, the step each layer split, the gradients seen.</summary>
    public SymmetryRecorder<T> Recorder { get; }

    /// <summary>The training data.</summary>
    public Dataset Train { get; }

    /// <summary>The held-out data, or null.</summary>
    public Dataset? Test { get; }

    /// <summary>The record of epoch <paramref name="index"/> + 1.</summary>
    public EpochRecord this[int index] => _epochs[index];

    /// <summary>Epochs trained.</summary>
    public int Count => _epochs.Count;

    /// <summary>The records in epoch order.</summary>
    public IEnumerator<EpochRecord> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
