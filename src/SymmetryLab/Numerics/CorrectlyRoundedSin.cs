namespace SymmetryLab.Numerics;

/// <summary>
/// sin x correctly rounded for every finite double, computed with IEEE 754 operations that are exact or
/// correctly rounded on every machine, never the C library's sin (glibc, Windows and macOS differ in the
/// last bit here and there), so the generators' points and the sin x features are the same bits everywhere.
/// </summary>
/// <remarks>
/// sin x = cos(x - pi/2): with x = j pi/64 + t from <see cref="TrigReduction"/>, it is cos((j - 32) pi/64 + t),
/// the same pair <see cref="CorrectlyRoundedCos.OfMultiplePlus"/> computes, from the table entry 32 places
/// back, with the same error analysis (where sin x is tiny, near a multiple of pi, the entry is exactly
/// (0, +-1) and the pair is sin t); sin is odd. Below 2^-26, sin x = x (1 - x^2/6 + ...) is within
/// x 2^-54.5 of x, inside half an ulp, so it rounds to x (subnormals and -0 included).
/// </remarks>
internal static class CorrectlyRoundedSin
{
    /// <summary>2^-26: below it, sin x rounds to x.</summary>
    private const double RoundsToItself = 1.4901161193847656e-08;

    /// <summary>sin x, correctly rounded, for finite x; NaN and +-infinity give NaN (as Math.Sin).</summary>
    public static double Sin(double x)
    {
        double ax = Math.Abs(x);
        if (ax < RoundsToItself) return x;
        if (!double.IsFinite(ax)) return double.NaN;
        int j = TrigReduction.Reduce(ax, out double th, out double tl, out double error);
        var (h, l) = CorrectlyRoundedCos.OfMultiplePlus((j + 96) & 127, th, tl);
        double result = CorrectlyRoundedLog.RoundIfDecided(h, l, out double fast, error) ? fast : FixedPointLnCos.Sin(ax);
        return x < 0 ? -result : result;
    }

    /// <summary>sin x as an unevaluated pair h + l, for finite x &gt;= 0.</summary>
    internal static (double High, double Low) DoubleDouble(double x)
    {
        int j = TrigReduction.Reduce(x, out double th, out double tl, out _);
        return CorrectlyRoundedCos.OfMultiplePlus((j + 96) & 127, th, tl);
    }
}
