using SymmetryLab.Engine;
using SymmetryLab.Lab;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// The state of a run at one step, copied out of the trainer (which goes on training) for the frame
/// builder: parameters and the last step's gradients per layer, in the run's precision.
/// </summary>
internal sealed class RunSnapshot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required int Generation { get; init; }
    public required long Step { get; init; }
    public required int Epoch { get; init; }
    /// <summary>Steps taken in the epoch under way (0: between epochs).</summary>
    public required long EpochStep { get; init; }
    public required T[][] Weights { get; init; }
    public required T[][] Biases { get; init; }
    public required T[][] WeightGradients { get; init; }
    public required T[][] BiasGradients { get; init; }
    public required long?[] BrokeAtStep { get; init; }
    /// <summary>Per layer: distinct units where the symmetry record starts (after initialization, before a perturbation).</summary>
    public required int[] DistinctAtStart { get; init; }
    public required DistinctChange[] Changes { get; init; }
    public required bool Running { get; init; }
    public EpochRecord? LastEpoch { get; init; }
    /// <summary>Why training stopped for good (it diverged), or null.</summary>
    public string? Stopped { get; init; }

    public static RunSnapshot<T> Take(Network<T> network, int generation, long step, int epoch, long epochStep, SymmetryRecorder<T> recorder, bool running, EpochRecord? lastEpoch, string? stopped) => new()
    {
        Generation = generation,
        Step = step,
        Epoch = epoch,
        EpochStep = epochStep,
        Weights = [.. network.Layers.Select(l => (T[])l.Weights.Clone())],
        Biases = [.. network.Layers.Select(l => (T[])l.Biases.Clone())],
        WeightGradients = [.. network.Layers.Select(l => step == 0 ? new T[l.Weights.Length] : (T[])l.WeightGradients.Clone())],
        BiasGradients = [.. network.Layers.Select(l => step == 0 ? new T[l.Biases.Length] : (T[])l.BiasGradients.Clone())],
        BrokeAtStep = (long?[])recorder.BrokeAtStep.Clone(),
        DistinctAtStart = recorder.DistinctAtStart,
        Changes = [.. recorder.Changes],
        Running = running,
        LastEpoch = lastEpoch,
        Stopped = stopped,
    };

    /// <summary>Puts the snapshot's parameters into <paramref name="network"/> (of the same shape).</summary>
    public void CopyTo(Network<T> network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Weights[l].CopyTo(network.Layers[l].Weights, 0);
            Biases[l].CopyTo(network.Layers[l].Biases, 0);
        }
    }
}
