using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>Watches a run and records, at every epoch, how many distinct units each layer has.</summary>
public sealed class SymmetryRecorder<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public List<int[]> DistinctPerEpoch { get; } = [];

    public void AfterEpoch(EpochRecord record, Network<T> network) =>
        DistinctPerEpoch.Add(UnitGroups.FindAll(network).Select(g => g.Distinct).ToArray());
}
