using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// Removes units of a hidden layer without changing what the network computes, by rewriting the layer
/// above. With a[j] unit j's output and W the next layer's weights (z_next[k] = sum_j W[k,j] a[j] + b[k]):
/// <code>
///   dead j, a[j] = c always:         b[k] += W[k,j] c                       (then drop unit j)
///   j identical to r, a[j] = a[r]:   W[k,r] += W[k,j]                       (then drop unit j)
///   j the mirror of r, a[j] = -a[r]: W[k,r] -= W[k,j]   (odd g: tanh, linear; then drop unit j)
/// </code>
/// Each rewrite is exact in real arithmetic; in floating point the sums are taken in another order, so
/// outputs agree to rounding.
/// </summary>
public static class UnitMerge
{
    /// <summary>One unit to drop (0-based) and how: folded into <see cref="Into"/> with <see cref="Sign"/>, or a constant <see cref="Constant"/> into the biases.</summary>
    /// <param name="Unit">The unit to drop (0-based).</param>
    /// <param name="Into">The unit (0-based) it is folded into; -1 for a dead unit.</param>
    /// <param name="Sign">+1 (identical) or -1 (mirror); 0 for a dead unit.</param>
    /// <param name="Constant">A dead unit's constant output; 0 otherwise.</param>
    public readonly record struct Removal(int Unit, int Into, int Sign, double Constant)
    {
        /// <summary>Unit <paramref name="unit"/> always outputs <paramref name="constant"/>: drop it, folding the constant into the next layer's biases.</summary>
        public static Removal Dead(int unit, double constant) => new(unit, -1, 0, constant);
        /// <summary>Unit <paramref name="unit"/> outputs <paramref name="sign"/> (+1 or -1) times unit <paramref name="into"/>'s output: drop it, adding its outgoing weights (times the sign) to that unit's.</summary>
        public static Removal Merged(int unit, int into, int sign) => new(unit, into, sign, 0);
    }

    /// <summary>A copy of <paramref name="network"/> with the units of hidden layer <paramref name="layer"/> (0-based) removed as <paramref name="removals"/> say.</summary>
    public static Network<double> Apply(Network<double> network, int layer, IReadOnlyList<Removal> removals)
    {
        if (layer < 0 || layer >= network.Layers.Count - 1) throw new ArgumentOutOfRangeException(nameof(layer), "only hidden layers have units to remove");
        var source = network.Layers[layer];
        var next = network.Layers[layer + 1];
        var gone = removals.Select(r => r.Unit).ToHashSet();
        if (gone.Count != removals.Count) throw new ArgumentException("a unit is removed twice", nameof(removals));
        if (removals.Any(r => r.Into >= 0 && gone.Contains(r.Into))) throw new ArgumentException("a unit is merged into a removed unit", nameof(removals));
        var kept = Enumerable.Range(0, source.Units).Where(j => !gone.Contains(j)).ToArray();
        if (kept.Length == 0) throw new ArgumentException($"layer {layer + 1} would have no unit left", nameof(removals));

        // The next layer's columns and biases, rewritten in float64 (float32 values are exact in it).
        var columns = new double[next.Units, source.Units];
        var biases = next.Biases.ToArray();
        for (int k = 0; k < next.Units; k++)
            for (int j = 0; j < source.Units; j++) columns[k, j] = next.Weight(k, j);
        foreach (var r in removals.OrderBy(r => r.Unit))
            for (int k = 0; k < next.Units; k++)
            {
                if (r.Into < 0)
                {
                    if (r.Constant != 0) biases[k] += columns[k, r.Unit] * r.Constant;
                }
                else columns[k, r.Into] += r.Sign * columns[k, r.Unit];
            }

        var shapes = network.Layers.Select((l, i) => (i == layer ? kept.Length : l.Units, l.Activation));
        var result = new Network<double>(network.Inputs, shapes) { Normalization = network.Normalization };
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var to = result.Layers[l];
            var from = network.Layers[l];
            if (l == layer)
            {
                for (int j = 0; j < kept.Length; j++)
                {
                    from.Weights.AsSpan(kept[j] * from.Inputs, from.Inputs).CopyTo(to.Weights.AsSpan(j * to.Inputs));
                    to.Biases[j] = from.Biases[kept[j]];
                }
            }
            else if (l == layer + 1)
            {
                for (int k = 0; k < to.Units; k++)
                    for (int j = 0; j < kept.Length; j++) to.Weights[k * to.Inputs + j] = columns[k, kept[j]];
                biases.CopyTo(to.Biases, 0);
            }
            else
            {
                from.Weights.CopyTo(to.Weights, 0);
                from.Biases.CopyTo(to.Biases, 0);
            }
        }
        return result;
    }
}
