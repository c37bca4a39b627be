namespace SymmetryLab.Data.Generators;

/// <summary>One <c>name=value</c> parameter of a generator, with its default and the values it accepts.</summary>
public sealed record GeneratorParameter(string Name, double Default, string Description, bool Integer = false,
    double Min = double.NegativeInfinity, double Max = double.PositiveInfinity, bool MinExclusive = false)
{
    public bool Accepts(double v) =>
        double.IsFinite(v) && (!Integer || v == Math.Floor(v)) && (MinExclusive ? v > Min : v >= Min) && v <= Max;

    public string Range =>
        (Integer ? "an integer" : "a number") +
        (double.IsNegativeInfinity(Min) ? "" : MinExclusive ? $" > {Min}" : $" >= {Min}") +
        (double.IsPositiveInfinity(Max) ? "" : $" <= {Max}");
}
