using System.Globalization;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Initializers;

/// <summary>
/// How a layer's starting values are drawn: a matrix of <c>rows</c> (units) by <c>cols</c> (inputs),
/// or a bias vector (cols = 1), with fan_in = inputs and fan_out = units of the layer.
/// </summary>
/// <param name="Name">The scheme's name in SPEC.md (glorot-uniform, normal:0:0.1, ...), as run records show it.</param>
public abstract record Initializer(string Name)
{
    /// <summary>The variance of each drawn value, as a formula (for docs and run records).</summary>
    public abstract string Variance { get; }

    /// <summary>Fills <paramref name="values"/> (rows x cols, row-major), drawing in that order.</summary>
    public virtual void Fill(Span<double> values, int rows, int cols, int fanIn, int fanOut, Rng rng)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Draw(fanIn, fanOut, rng);
    }

    /// <summary>One value for a layer of <paramref name="fanIn"/> inputs and <paramref name="fanOut"/> units, drawn from <paramref name="rng"/>.</summary>
    public abstract double Draw(int fanIn, int fanOut, Rng rng);

    /// <summary>The scheme's name.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// Parses a scheme of SPEC.md: zeros, constant:C, uniform:A:B, normal:MEAN:STD, glorot-uniform,
    /// glorot-normal, he-uniform, he-normal, lecun-normal, orthogonal, torch-default, keras-default.
    /// (symmetric:SCHEME is a network-level option; see <see cref="InitScheme"/>.)
    /// </summary>
    public static bool TryParse(string text, out Initializer? initializer, out string? error)
    {
        initializer = null;
        error = null;
        var parts = text.Split(':');
        string name = parts[0].ToLowerInvariant();
        int args = parts.Length - 1;
        double Arg(int i) => double.Parse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
        bool Numeric() => parts.Skip(1).All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v));
        (int want, Func<Initializer>? make) = name switch
        {
            "zeros" => (0, (Func<Initializer>?)(() => new Constant(0, "zeros"))),
            "constant" => (1, () => new Constant(Arg(1), text)),
            "uniform" => (2, () => new Uniform(Arg(1), Arg(2), text)),
            "normal" => (2, () => new Normal(Arg(1), Arg(2), text)),
            "glorot-uniform" or "keras-default" => (0, () => new GlorotUniform(name)),
            "glorot-normal" => (0, () => new GlorotNormal()),
            "he-uniform" => (0, () => new HeUniform()),
            "he-normal" => (0, () => new HeNormal()),
            "lecun-normal" => (0, () => new LecunNormal()),
            "orthogonal" => (0, () => new Orthogonal()),
            "torch-default" => (0, () => new TorchDefault()),
            _ => (-1, null),
        };
        if (want < 0)
        {
            error = $"unknown scheme '{text}' (known: {string.Join(", ", Init.Names)})";
            return false;
        }
        if (args != want || !Numeric())
        {
            error = $"scheme '{text}': {name} takes {want} number{(want == 1 ? "" : "s")} after it, separated by ':'";
            return false;
        }
        initializer = make!();
        if (initializer is Uniform u && !(u.Low < u.High)) { error = $"scheme '{text}': needs A < B"; initializer = null; return false; }
        if (initializer is Normal n && n.Std < 0) { error = $"scheme '{text}': the standard deviation must be >= 0"; initializer = null; return false; }
        return true;
    }
}
