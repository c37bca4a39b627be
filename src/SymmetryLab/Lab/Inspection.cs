using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>Two units (1-based) of a layer and the correlation of their activations over a data set.</summary>
/// <param name="UnitA">The first unit (1-based).</param>
/// <param name="UnitB">The second unit (1-based).</param>
/// <param name="Correlation">The Pearson correlation of their activations over the data.</param>
public sealed record CorrelatedPair(int UnitA, int UnitB, double Correlation);

/// <summary>
/// One layer as <c>symlab inspect</c> sees it: its groups of identical units, how close its nearest two
/// distinct units are, and, given data, which units are dead, saturated or move together.
/// </summary>
/// <param name="Groups">The layer's groups of identical units.</param>
/// <param name="Activation">The layer's activation (SPEC.md name).</param>
/// <param name="Closest">The nearest two units of different groups; null with fewer than two groups.</param>
/// <param name="Dead">ReLU units (1-based) whose z is never positive on the data (they output 0 and get no gradient); null without data.</param>
/// <param name="Saturated">Sigmoid and tanh units (1-based) pinned near a limit on at least <see cref="ActivationProfile.SaturatedShare"/> of the samples; null without data.</param>
/// <param name="Correlation">The correlation matrix of the units' activations, [unit a][unit b] 0-based (null for a constant unit); null without data or for a layer wider than <see cref="Inspection.MatrixWidth"/>.</param>
/// <param name="MostCorrelated">The pairs of largest |correlation| (at most <see cref="Inspection.TopPairs"/>); null without data.</param>
public sealed record LayerInspection(
    UnitGroups Groups,
    string Activation,
    ClosestPair? Closest,
    int[]? Dead,
    int[]? Saturated,
    double?[][]? Correlation,
    IReadOnlyList<CorrelatedPair>? MostCorrelated);

/// <summary>The inspection of a whole network (SPEC.md <c>inspect</c>).</summary>
public static class Inspection
{
    /// <summary>Layers up to this width get the whole correlation matrix; wider ones only their most correlated pairs.</summary>
    public const int MatrixWidth = 12;
    /// <summary>The most correlated pairs listed per layer.</summary>
    public const int TopPairs = 5;

    /// <summary>
    /// Every layer of <paramref name="network"/>, units grouped within <paramref name="tolerance"/> (0: bit-exact);
    /// with <paramref name="data"/>, also its dead, saturated and correlated units on that data.
    /// </summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    public static IReadOnlyList<LayerInspection> Of<T>(Network<T> network, Dataset? data = null, double tolerance = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var profile = data is null ? null : ActivationProfile.Of(network, data);
        var result = new List<LayerInspection>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var groups = UnitGroups.Find(network, l, tolerance);
            var closest = ClosestPair.Find(layer, groups);
            if (profile is null)
            {
                result.Add(new LayerInspection(groups, Engine.Activations.ActivationNames.Name(layer.Activation), closest, null, null, null, null));
                continue;
            }
            var pairs = new List<CorrelatedPair>();
            var matrix = layer.Units <= MatrixWidth ? new double?[layer.Units][] : null;
            for (int a = 0; a < layer.Units; a++)
            {
                if (matrix is not null) matrix[a] = new double?[layer.Units];
                for (int b = 0; b < layer.Units; b++)
                {
                    if (b < a) { if (matrix is not null) matrix[a][b] = matrix[b][a]; continue; }
                    double? r = a == b ? 1.0 : profile.Correlation(l, a, b);
                    if (a == b && profile.Correlation(l, a, a) is null) r = null; // a constant unit correlates with nothing
                    if (matrix is not null) matrix[a][b] = r;
                    if (a != b && r is { } v) pairs.Add(new CorrelatedPair(a + 1, b + 1, v));
                }
            }
            var top = pairs.OrderByDescending(p => Math.Abs(p.Correlation)).ThenBy(p => p.UnitA).ThenBy(p => p.UnitB).Take(TopPairs).ToList();
            result.Add(new LayerInspection(groups, Engine.Activations.ActivationNames.Name(layer.Activation), closest,
                profile.DeadUnits(l), profile.SaturatedUnits(l), matrix, top));
        }
        return result;
    }
}
