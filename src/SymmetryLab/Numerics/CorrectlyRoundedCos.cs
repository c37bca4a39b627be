using System.Runtime.CompilerServices;
using static SymmetryLab.Numerics.ErrorFreeSums;
using static SymmetryLab.Numerics.LnCosTables;

namespace SymmetryLab.Numerics;

/// <summary>
/// cos x correctly rounded for every finite double (Box-Muller's 2 pi u2, the generators' angles, any
/// value a data file holds), computed with IEEE 754 operations that are exact or correctly rounded on every
/// machine, never the C library's cos, so a seed's normal draws and generated points are the same bits everywhere.
/// </summary>
/// <remarks>
/// <para>Fast path, double-double: <see cref="TrigReduction"/> gives x = j pi/64 + t, |t| &lt;= pi/128, t a
/// pair within 2^-100 of itself (plus an absolute bound that matters only near the zeros of cos and sin).
/// With a = (j mod 128) pi/64, cos x = cos(a + t) = A + A (cos t - 1) + B sin t, (A, B) = (cos a, -sin a)
/// as pairs from the table (exactly 0 and +-1 at multiples of pi/2, so no quadrant logic); sin x is the same
/// sum at a - pi/2 (<see cref="CorrectlyRoundedSin"/>).
/// sin t = t - t^3/6 + t^5 (...) and cos t - 1 = -t^2/2 + t^4 (...) to t^12 (|t| &lt;= pi/128, so the
/// terms left out are below 2^-84 relative to t); t^2 and t^3 are exact pairs, the tails double.</para>
/// <para>Error: wherever the result is tiny, A = 0 and B = +-1 and it is sin t, relative to t within about
/// 2^-78; elsewhere |cos x| &gt;= sin(pi/128) &gt; 2^-5.4 and the tails' roundings (below 2^-84 absolute,
/// scaled by A where A is small) keep the pair within about 2^-76 of cos x, relative (the worst seen
/// on 3,000 random draws and the doubles around pi/2, 3 pi/2 and 5 pi/2: 2^-76.3; for sin and cos on
/// CorrectlyRoundedSinCosTests' 4,900 arguments up to the largest double: 2^-76.3). The rounding test
/// allows <see cref="CorrectlyRoundedLog.FastPathErrorBound"/> = 2^-72 relative plus the reduction's
/// absolute bound; where it leaves the rounding undecided, <see cref="FixedPointLnCos.Cos"/> decides it exactly.</para>
/// </remarks>
internal static class CorrectlyRoundedCos
{
    /// <summary>cos x, correctly rounded, for finite x; NaN and +-infinity give NaN (as Math.Cos).</summary>
    public static double Cos(double x)
    {
        double ax = Math.Abs(x);
        if (!double.IsFinite(ax)) return double.NaN;
        int j = TrigReduction.Reduce(ax, out double th, out double tl, out double error);
        var (h, l) = OfMultiplePlus(j, th, tl);
        return CorrectlyRoundedLog.RoundIfDecided(h, l, out double result, error) ? result : FixedPointLnCos.Cos(ax);
    }

    /// <summary>cos x as an unevaluated pair h + l, for finite x &gt;= 0.</summary>
    internal static (double High, double Low) DoubleDouble(double x)
    {
        int j = TrigReduction.Reduce(x, out double th, out double tl, out _);
        return OfMultiplePlus(j, th, tl);
    }

    /// <summary>cos(j pi/64 + t) as a pair, for 0 &lt;= j &lt; 128 and t = th + tl with |t| &lt;= pi/128 (a hair more allowed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double High, double Low) OfMultiplePlus(int j, double th, double tl)
    {
        // t^2 = s + sl; t^3 = th^3 + 3 th^2 tl = u + ul + th sl + 3 s tl.
        var (s, sl) = TwoProduct(th, th);
        var (u, ul) = TwoProduct(th, s);
        double u6 = u / 6;
        double u6Low = (Math.FusedMultiplyAdd(-6.0, u6, u) + ul + th * sl) / 6 + 0.5 * s * tl; // u - 6 u6 is exact
        double sinTail = Math.FusedMultiplyAdd(s, -1.0 / 39916800, 1.0 / 362880);
        sinTail = Math.FusedMultiplyAdd(s, sinTail, -1.0 / 5040);
        sinTail = Math.FusedMultiplyAdd(s, sinTail, 1.0 / 120);
        var (sinHigh, se) = TwoSum(th, -u6);
        double sinLow = se + tl - u6Low + u * s * sinTail;
        double cosTail = Math.FusedMultiplyAdd(s, 1.0 / 479001600, -1.0 / 3628800);
        cosTail = Math.FusedMultiplyAdd(s, cosTail, 1.0 / 40320);
        cosTail = Math.FusedMultiplyAdd(s, cosTail, -1.0 / 720);
        cosTail = Math.FusedMultiplyAdd(s, cosTail, 1.0 / 24);
        double cosM1High = -0.5 * s;
        double cosM1Low = -0.5 * sl - th * tl + s * s * cosTail;

        // cos x = cos(a + t) = A cos t + B sin t = A + A (cos t - 1) + B sin t, a = j pi/64.
        int k = 4 * j;
        var table = CosMinusSinOfMultiples;
        double ah = table[k], al = table[k + 1], bh = table[k + 2], bl = table[k + 3];
        var (x1, x1e) = TwoProduct(ah, cosM1High);
        var (x2, x2e) = TwoProduct(bh, sinHigh);
        var (g, ge) = TwoSum(ah, x1);
        (g, double ge2) = TwoSum(g, x2);
        double low = al + ge + ge2 + x1e + ah * cosM1Low + al * cosM1High + x2e + bh * sinLow + bl * sinHigh;
        return FastTwoSum(g, low);
    }
}
