using System.Globalization;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// <c>--perturb EPS[:LAYER]</c>: adds EPS to one weight, W_LAYER[1,1] (unit 1's weight from its first
/// input), after initialization, to show how small a difference is enough to break a symmetry.
/// Perturbing layer l+1 instead of l leaves the incoming weights of layer l identical but makes their
/// outgoing weights differ, so the split of layer l then happens during training, at a step one can see.
/// </summary>
/// <param name="Epsilon">EPS, added to the weight.</param>
/// <param name="Layer">The layer (1-based) whose W[1,1] gets it.</param>
public sealed record Perturbation(double Epsilon, int Layer = 1)
{
    /// <summary>The weight perturbed: W_LAYER[1,1].</summary>
    public ParameterRef Target => new(Layer, 1, 1);

    /// <summary>Reads EPS or EPS:LAYER.</summary>
    /// <exception cref="ArgumentException">Not a finite EPS or not a layer number.</exception>
    public static Perturbation Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 1 or > 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double eps) || !double.IsFinite(eps))
            throw new ArgumentException($"--perturb {text}: expected EPS or EPS:LAYER, e.g. 1e-12 or 1e-12:2");
        int layer = 1;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out layer) || layer < 1))
            throw new ArgumentException($"--perturb {text}: LAYER '{parts[1]}' is not a layer number (1 is the first hidden layer)");
        return new Perturbation(eps, layer);
    }

    /// <summary>Adds <see cref="Epsilon"/> to <see cref="Target"/> of <paramref name="network"/>, in place.</summary>
    /// <exception cref="ArgumentException">The network has no such weight, or the addition rounds away in its precision.</exception>
    public void Apply<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Target.Fits(network, out string? why)) throw new ArgumentException($"--perturb {Epsilon.ToString("R", CultureInfo.InvariantCulture)}:{Layer}: {why}");
        var (values, _, index) = Target.Locate(network);
        T before = values[index];
        values[index] += T.CreateChecked(Epsilon);
        // Rounding can swallow a tiny EPS next to a larger weight; a perturbation that changes nothing would mislead.
        if (values[index] == before && Epsilon != 0)
            throw new ArgumentException($"--perturb {Epsilon.ToString("R", CultureInfo.InvariantCulture)}: {Target} = {before} does not change in {(typeof(T) == typeof(float) ? "float32" : "float64")}; use --precision float64 or a larger EPS");
    }

    /// <summary>"1E-12 added to W1[1,1]".</summary>
    public override string ToString() => $"{Epsilon.ToString("R", CultureInfo.InvariantCulture)} added to {Target}";
}
