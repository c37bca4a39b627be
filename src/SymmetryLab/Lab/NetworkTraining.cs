using System.Runtime.CompilerServices;
using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>Training a network the short way: <c>net.Fit(data, options)</c>, watched by the lab.</summary>
public static class NetworkTraining
{
    /// <summary>The last fit of each network, for <see cref="SymmetryReport.Of{T}(Network{T}, Dataset)"/>; held no longer than the network.</summary>
    private static readonly ConditionalWeakTable<object, object> LastFits = new();

    /// <summary>
    /// Trains <paramref name="network"/> in place on <paramref name="data"/> with the reference
    /// <see cref="Trainer{T}"/>, as <c>symlab train</c> does with the same settings (same weights, bit for
    /// bit), while a <see cref="SymmetryRecorder{T}"/> watches which units stay identical.
    /// </summary>
    /// <param name="network">The network, e.g. from <see cref="Network.Create{T}"/>; its <see cref="Network{T}.Normalization"/> applies to the data.</param>
    /// <param name="data">The training data (features and targets).</param>
    /// <param name="options">Loss, optimizer, epochs, batch size, L2, dropout and the seed of the shuffle.</param>
    /// <param name="test">Held-out data, evaluated after every epoch; null for none.</param>
    /// <param name="observer">Called after every step and epoch besides the lab's recorder; null for none.</param>
    /// <param name="progress">Called with each epoch's record; null for none.</param>
    /// <param name="cancel">Stops training between epochs.</param>
    /// <returns>One record per epoch, with what <see cref="SymmetryReport"/> needs to read the run.</returns>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    /// <exception cref="ArgumentException">The loss does not fit the output activation (bce needs a sigmoid output, ce a softmax).</exception>
    /// <exception cref="TrainingDivergedException">A number became NaN or infinite; names the epoch and layer.</exception>
    public static TrainingHistory<T> Fit<T>(this Network<T> network, Dataset data, TrainingOptions options, Dataset? test = null,
        ITrainingObserver<T>? observer = null, Action<EpochRecord>? progress = null, CancellationToken cancel = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var trainer = new Trainer<T>(network, data, options);
        var start = network.Clone();
        var recorder = new SymmetryRecorder<T>(start);
        var epochs = trainer.Train(test, new ObserverSet<T>(recorder, observer), progress, cancel);
        var history = new TrainingHistory<T>(start, network, epochs, trainer.Step, trainer.BatchSize, options, recorder, data, test);
        LastFits.AddOrUpdate(network, history);
        return history;
    }

    /// <summary>The history of the last <see cref="Fit{T}"/> of <paramref name="network"/>, or null if it was never fitted.</summary>
    public static TrainingHistory<T>? LastFit<T>(this Network<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        LastFits.TryGetValue(network, out var history) ? (TrainingHistory<T>)history : null;
}
