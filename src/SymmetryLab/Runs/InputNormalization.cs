namespace SymmetryLab.Runs;

/// <summary>
/// How a run scales its inputs (SPEC.md <c>--normalize</c>): <see cref="None"/> (the default), or
/// <see cref="ZScore"/>, learned on the training split and stored in the model. It prints its SPEC.md
/// name, so run records keep reading "zscore".
/// </summary>
public readonly struct InputNormalization : IEquatable<InputNormalization>
{
    // false (the default value of the struct) is none, the default.
    private readonly bool _zscore;

    private InputNormalization(bool zscore) => _zscore = zscore;

    /// <summary>The inputs as they are, SPEC.md "none".</summary>
    public static InputNormalization None => default;

    /// <summary>Each feature shifted by its mean and divided by its standard deviation on the training split, SPEC.md "zscore".</summary>
    public static InputNormalization ZScore => new(true);

    /// <summary>Both, in SPEC.md's order.</summary>
    public static IReadOnlyList<InputNormalization> All { get; } = [None, ZScore];

    /// <summary>The SPEC.md name: "none" or "zscore".</summary>
    public string Name => _zscore ? "zscore" : "none";

    /// <summary>The normalization named <paramref name="name"/> (none or zscore).</summary>
    /// <exception cref="ArgumentException">Another name; the message lists the known ones.</exception>
    public static InputNormalization Parse(string name) => name switch
    {
        "none" => None,
        "zscore" => ZScore,
        _ => throw new ArgumentException($"unknown normalization '{name}' (known: none, zscore)", nameof(name)),
    };

    /// <inheritdoc/>
    public bool Equals(InputNormalization other) => _zscore == other._zscore;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is InputNormalization n && Equals(n);

    /// <inheritdoc/>
    public override int GetHashCode() => _zscore.GetHashCode();

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> are the same.</summary>
    public static bool operator ==(InputNormalization left, InputNormalization right) => left.Equals(right);

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> differ.</summary>
    public static bool operator !=(InputNormalization left, InputNormalization right) => !left.Equals(right);

    /// <summary>The SPEC.md name (<see cref="Name"/>).</summary>
    public override string ToString() => Name;
}
