using SymmetryLab.Engine;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// Hands a run's steps to an observer and keeps its epochs from it. A playground run goes on for as long as a
/// page plays it (thousands of epochs a second for a small set), so a record kept per epoch, like the symmetry
/// recorder's distinct units and distances for a run folder, would grow without end; the page needs only what
/// the recorder learns after each step (where each layer split, and every change of its distinct units).
/// </summary>
internal sealed class StepsOnly<T>(ITrainingObserver<T> observer) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void AfterStep(long step, int epoch, Network<T> network) => observer.AfterStep(step, epoch, network);
}
