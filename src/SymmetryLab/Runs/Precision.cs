namespace SymmetryLab.Runs;

/// <summary>
/// The floating-point type a run computes in (SPEC.md <c>--precision</c>): <see cref="Float32"/> (the
/// default) or <see cref="Float64"/>. It prints its SPEC.md name, so run records keep reading "float32".
/// </summary>
public readonly struct Precision : IEquatable<Precision>
{
    // false (the default value of the struct) is float32, the default precision.
    private readonly bool _double;

    private Precision(bool isDouble) => _double = isDouble;

    /// <summary>Single precision (float), SPEC.md "float32".</summary>
    public static Precision Float32 => default;

    /// <summary>Double precision (double), SPEC.md "float64".</summary>
    public static Precision Float64 => new(true);

    /// <summary>Both, in SPEC.md's order.</summary>
    public static IReadOnlyList<Precision> All { get; } = [Float32, Float64];

    /// <summary>The SPEC.md name: "float32" or "float64".</summary>
    public string Name => _double ? "float64" : "float32";

    /// <summary>The precision named <paramref name="name"/> (float32 or float64).</summary>
    /// <exception cref="ArgumentException">Another name; the message lists the known ones.</exception>
    public static Precision Parse(string name) => name switch
    {
        "float32" => Float32,
        "float64" => Float64,
        _ => throw new ArgumentException($"unknown precision '{name}' (known: float32, float64)", nameof(name)),
    };

    /// <inheritdoc/>
    public bool Equals(Precision other) => _double == other._double;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Precision p && Equals(p);

    /// <inheritdoc/>
    public override int GetHashCode() => _double.GetHashCode();

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> are the same precision.</summary>
    public static bool operator ==(Precision left, Precision right) => left.Equals(right);

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> differ.</summary>
    public static bool operator !=(Precision left, Precision right) => !left.Equals(right);

    /// <summary>The SPEC.md name (<see cref="Name"/>).</summary>
    public override string ToString() => Name;
}
