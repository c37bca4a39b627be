using System.Globalization;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>
/// A nudge of <see cref="Epsilon"/> added to one weight, W_LAYER[1,1] (unit 1's weight from its first input),
/// after initialization, to show how small a difference is enough to break a symmetry. Perturbing layer
/// l+1 instead of l leaves the incoming weights of layer l identical but makes their outgoing weights
/// differ, so the split of layer l then happens during training, at a step one can see.
/// (<c>symlab train --perturb EPS[:LAYER]</c> reads one from its command line.)
/// </summary>
public sealed record Perturbation
{
    /// <summary>A nudge of <paramref name="epsilon"/> to W_<paramref name="layer"/>[1,1].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not finite, or <paramref name="layer"/> is below 1.</exception>
    public Perturbation(double epsilon, int layer = 1)
    {
        if (!double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "the nudge must be a finite number");
        ArgumentOutOfRangeException.ThrowIfLessThan(layer, 1);
        Epsilon = epsilon;
        Layer = layer;
    }

    /// <summary>What is added to the weight.</summary>
    public double Epsilon { get; }

    /// <summary>The layer of the weight (1 is the first hidden layer).</summary>
    public int Layer { get; }

    /// <summary>The weight nudged: W_LAYER[1,1].</summary>
    public ParameterRef Target => new(Layer, 1, 1);

    /// <summary>
    /// The weight's value when adding <see cref="Epsilon"/> to it in T changes nothing (rounding swallows a
    /// tiny nudge next to a larger weight); null when the nudge shows. <see cref="Target"/> must fit the network.
    /// </summary>
    public T? Swallowed<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (values, _, index) = Target.Locate(network);
        T before = values[index];
        return before + T.CreateChecked(Epsilon) == before && Epsilon != 0 ? before : null;
    }

    /// <summary>Adds <see cref="Epsilon"/> to <see cref="Target"/>.</summary>
    /// <exception cref="ArgumentException">The network has no such weight, or the nudge would change nothing in T (a perturbation that changes nothing would mislead).</exception>
    public void Apply<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Target.Fits(network, out string? why)) throw new ArgumentException($"perturbation of {Target}: {why}", nameof(network));
        if (Swallowed(network) is { } before)
            throw new ArgumentException($"perturbation of {Target}: adding {Number(Epsilon)} to {before} changes nothing in {Serialization.ModelFile.PrecisionName<T>()}; use float64 (double) or a larger epsilon", nameof(network));
        var (values, _, index) = Target.Locate(network);
        values[index] += T.CreateChecked(Epsilon);
    }

    /// <summary>"1E-12 added to W1[1,1]".</summary>
    public override string ToString() => $"{Number(Epsilon)} added to {Target}";

    /// <summary>The nudge as the shortest text that reads back to it.</summary>
    internal static string Number(double epsilon) => epsilon.ToString("R", CultureInfo.InvariantCulture);
}
