using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// Which units of a layer are the same unit: equal incoming weights and bias (<see cref="Groups"/>),
/// and, finer, equal outgoing weights too (<see cref="Interchangeable"/>), within a tolerance
/// (0: bit-exact). Units are numbered from 1 as in SPEC.md.
/// </summary>
/// <param name="Layer">The layer (1-based).</param>
/// <param name="Units">Its width.</param>
/// <param name="Groups">Units (1-based) with equal incoming weights and bias, one array per group, in order of first unit.</param>
/// <param name="Interchangeable">Units with equal outgoing weights too (the output layer: as Groups).</param>
public sealed record UnitGroups(int Layer, int Units, IReadOnlyList<int[]> Groups, IReadOnlyList<int[]> Interchangeable)
{
    /// <summary>The effective width: how many different units the layer really has.</summary>
    public int Distinct => Groups.Count;

    /// <summary>The groups of layer <paramref name="layerIndex"/> (0-based) within <paramref name="tolerance"/> (0: bit-exact).</summary>
    public static UnitGroups Find<T>(Network<T> network, int layerIndex, double tolerance = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = network.Layers[layerIndex];
        var next = layerIndex + 1 < network.Layers.Count ? network.Layers[layerIndex + 1] : null;
        var groups = Partition(layer.Units, (a, b) => SameIncoming(layer, a, b, tolerance));
        var interchangeable = groups
            .SelectMany(g => Partition(g.Length, (a, b) => next is null || SameOutgoing(next, g[a] - 1, g[b] - 1, tolerance)).Select(sub => sub.Select(i => g[i - 1]).ToArray()))
            .OrderBy(g => g[0]).ToList();
        return new UnitGroups(layerIndex + 1, layer.Units, groups, interchangeable);
    }

    /// <summary>Groups of every hidden and output layer.</summary>
    public static IReadOnlyList<UnitGroups> FindAll<T>(Network<T> network, double tolerance = 0) where T : unmanaged, IFloatingPointIeee754<T> =>
        Enumerable.Range(0, network.Layers.Count).Select(l => Find(network, l, tolerance)).ToList();

    /// <summary>Greedy partition by an equivalence (exact equality is transitive; with a tolerance a unit joins the first group whose first member it matches).</summary>
    private static List<int[]> Partition(int count, Func<int, int, bool> same)
    {
        var groups = new List<List<int>>();
        for (int u = 0; u < count; u++)
        {
            var home = groups.FirstOrDefault(g => same(g[0], u));
            if (home is null) groups.Add([u]); else home.Add(u);
        }
        return groups.Select(g => g.Select(u => u + 1).ToArray()).ToList();
    }

    private static bool SameIncoming<T>(DenseLayer<T> layer, int a, int b, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Close(layer.Biases[a], layer.Biases[b], tolerance)) return false;
        for (int i = 0; i < layer.Inputs; i++)
            if (!Close(layer.Weight(a, i), layer.Weight(b, i), tolerance)) return false;
        return true;
    }

    private static bool SameOutgoing<T>(DenseLayer<T> next, int a, int b, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < next.Units; k++)
            if (!Close(next.Weight(k, a), next.Weight(k, b), tolerance)) return false;
        return true;
    }

    private static bool Close<T>(T x, T y, double tolerance) where T : unmanaged, IFloatingPointIeee754<T> =>
        tolerance == 0 ? x == y : Math.Abs(double.CreateChecked(x) - double.CreateChecked(y)) <= tolerance;
}
