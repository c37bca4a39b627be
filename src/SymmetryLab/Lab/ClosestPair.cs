using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// The two units of a layer, from different groups, whose incoming vectors (weights then bias) are
/// nearest: how far the layer is from collapsing further. Units are 1-based; <see cref="Cosine"/> is null
/// when one vector is all zeros (no direction to compare).
/// </summary>
/// <param name="UnitA">The first unit (1-based).</param>
/// <param name="UnitB">The second unit (1-based).</param>
/// <param name="Distance">The Euclidean distance between their incoming vectors.</param>
/// <param name="Cosine">The cosine of the angle between them; null when one is all zeros.</param>
public sealed record ClosestPair(int UnitA, int UnitB, double Distance, double? Cosine)
{
    /// <summary>Null when the layer has fewer than two groups (no two distinct units to compare).</summary>
    public static ClosestPair? Find<T>(DenseLayer<T> layer, UnitGroups groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (groups.Distinct < 2) return null;
        var groupOf = new int[layer.Units];
        for (int g = 0; g < groups.Groups.Count; g++)
            foreach (int u in groups.Groups[g]) groupOf[u - 1] = g;
        ClosestPair? best = null;
        for (int a = 0; a < layer.Units; a++)
            for (int b = a + 1; b < layer.Units; b++)
            {
                if (groupOf[a] == groupOf[b]) continue;
                double d = DistanceBetween(layer, a, b);
                if (best is null || d < best.Distance) best = new ClosestPair(a + 1, b + 1, d, null);
            }
        return best! with { Cosine = CosineBetween(layer, best.UnitA - 1, best.UnitB - 1) };
    }

    /// <summary>|v_a - v_b| with v_j = (W[j,1], ..., W[j,n], b[j]), summed in float64.</summary>
    public static double DistanceBetween<T>(DenseLayer<T> layer, int a, int b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i <= layer.Inputs; i++)
        {
            double d = Component(layer, a, i) - Component(layer, b, i);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>v_a . v_b / (|v_a| |v_b|); null when either is the zero vector.</summary>
    public static double? CosineBetween<T>(DenseLayer<T> layer, int a, int b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i <= layer.Inputs; i++)
        {
            double x = Component(layer, a, i), y = Component(layer, b, i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return na == 0 || nb == 0 ? null : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Component i of unit j's incoming vector: its weight from input i+1, or its bias for i = Inputs.</summary>
    private static double Component<T>(DenseLayer<T> layer, int j, int i) where T : unmanaged, IFloatingPointIeee754<T> =>
        double.CreateChecked(i < layer.Inputs ? layer.Weight(j, i) : layer.Biases[j]);
}
