using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>Several observers watching one run, called in the order given (the trainer takes one).</summary>
internal sealed class ObserverSet<T>(params ITrainingObserver<T>?[] observers) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingObserver<T>[] _observers = observers.OfType<ITrainingObserver<T>>().ToArray();

    public void AfterStep(long step, int epoch, Network<T> network)
    {
        foreach (var o in _observers) o.AfterStep(step, epoch, network);
    }

    public void AfterEpoch(EpochRecord record, Network<T> network)
    {
        foreach (var o in _observers) o.AfterEpoch(record, network);
    }
}
