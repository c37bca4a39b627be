namespace SymmetryLab.Data.Generators;

/// <summary>One <c>name=value</c> parameter of a generator, with its default and the values it accepts.</summary>
/// <param name="Name">The name in a spec (n, noise, ...).</param>
/// <param name="Default">The value when the spec does not give one.</param>
/// <param name="Description">What it sets, with units.</param>
/// <param name="Integer">Whether only whole numbers are accepted.</param>
/// <param name="Min">The smallest value accepted (see <paramref name="MinExclusive"/>).</param>
/// <param name="Max">The largest value accepted.</param>
/// <param name="MinExclusive">Whether <paramref name="Min"/> itself is refused.</param>
public sealed record GeneratorParameter(string Name, double Default, string Description, bool Integer = false,
    double Min = double.NegativeInfinity, double Max = double.PositiveInfinity, bool MinExclusive = false)
{
    /// <summary>Whether <paramref name="v"/> is a value of the parameter: finite, whole if it must be, in range.</summary>
    public bool Accepts(double v) =>
        double.IsFinite(v) && (!Integer || v == Math.Floor(v)) && (MinExclusive ? v > Min : v >= Min) && v <= Max;

    /// <summary>The accepted values in words, for messages: "an integer &gt;= 1".</summary>
    public string Range =>
        (Integer ? "an integer" : "a number") +
        (double.IsNegativeInfinity(Min) ? "" : MinExclusive ? $" > {Min}" : $" >= {Min}") +
        (double.IsPositiveInfinity(Max) ? "" : $" <= {Max}");
}
