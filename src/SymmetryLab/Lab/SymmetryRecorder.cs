using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// Watches a run without changing it. After every step: the first step at which each layer's groups of
/// identical units split (a layer is no longer checked once all its units are distinct, which keeps it
/// cheap), and whether any hidden gradient was ever non-zero. After every epoch: the distinct units of
/// each layer and the smallest distance between two distinct units.
/// </summary>
public sealed class SymmetryRecorder<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _distinct;
    private readonly bool[] _settled;

    /// <summary>Takes the starting point (after initialization and any perturbation): step 0.</summary>
    public SymmetryRecorder(Network<T> start)
    {
        int layers = start.Layers.Count;
        DistinctAtStart = UnitGroups.FindAll(start).Select(g => g.Distinct).ToArray();
        _distinct = (int[])DistinctAtStart.Clone();
        _settled = start.Layers.Select((l, i) => DistinctAtStart[i] == l.Units).ToArray();
        BrokeAtStep = new long?[layers];
        GradientSeen = new bool[layers];
    }

    /// <summary>Per layer: its distinct units at step 0.</summary>
    public int[] DistinctAtStart { get; }

    /// <summary>Per layer: the first step after which the layer had more groups than before it; null if it never split during training.</summary>
    public long?[] BrokeAtStep { get; }

    /// <summary>Per layer: whether any of its weight or bias gradients was ever non-zero.</summary>
    public bool[] GradientSeen { get; }

    /// <summary>Whether any weight (not bias) gradient of the output layer was ever non-zero.</summary>
    public bool OutputWeightGradientSeen { get; private set; }

    /// <summary>Per epoch and layer: distinct units at the end of the epoch.</summary>
    public List<int[]> DistinctPerEpoch { get; } = [];

    /// <summary>
    /// Every change of a layer's distinct units after step 0, at the step it happened, in step order (the
    /// playground plots them at their exact steps). A layer is followed until all its units are distinct.
    /// </summary>
    public List<DistinctChange> Changes { get; } = [];

    /// <summary>Per epoch and layer: the distance between the nearest two distinct units; null with fewer than two groups.</summary>
    public List<double?[]> MinDistancePerEpoch { get; } = [];

    /// <inheritdoc/>
    public void AfterStep(long step, int epoch, Network<T> network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            if (!GradientSeen[l]) GradientSeen[l] = AnyNonZero(layer.WeightGradients) || AnyNonZero(layer.BiasGradients);
            if (_settled[l]) continue;
            int distinct = UnitGroups.Find(network, l).Distinct;
            if (distinct > _distinct[l] && BrokeAtStep[l] is null) BrokeAtStep[l] = step;
            if (distinct != _distinct[l]) Changes.Add(new DistinctChange(step, l + 1, distinct));
            _distinct[l] = distinct;
            _settled[l] = distinct == layer.Units;
        }
        if (!OutputWeightGradientSeen) OutputWeightGradientSeen = AnyNonZero(network.Output.WeightGradients);
    }

    /// <inheritdoc/>
    public void AfterEpoch(EpochRecord record, Network<T> network)
    {
        var groups = UnitGroups.FindAll(network);
        DistinctPerEpoch.Add(groups.Select(g => g.Distinct).ToArray());
        MinDistancePerEpoch.Add(groups.Select((g, l) => ClosestPair.Find(network.Layers[l], g)?.Distance).ToArray());
    }

    private static bool AnyNonZero(T[] values)
    {
        foreach (var v in values)
            if (v != T.Zero) return true;
        return false;
    }
}

/// <summary>Layer <paramref name="Layer"/> (1-based) had <paramref name="Distinct"/> distinct units after step <paramref name="Step"/>, a different count than before it.</summary>
public readonly record struct DistinctChange(long Step, int Layer, int Distinct);
