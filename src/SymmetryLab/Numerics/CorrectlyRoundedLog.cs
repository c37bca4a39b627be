using System.Runtime.CompilerServices;
using static SymmetryLab.Numerics.ErrorFreeSums;
using static SymmetryLab.Numerics.LnCosTables;

namespace SymmetryLab.Numerics;

/// <summary>
/// ln x correctly rounded (the double nearest the exact value), computed with IEEE 754 operations that
/// are exact or correctly rounded on every machine (+, -, *, /, fused multiply-add), never the C
/// library's log, whose last bit differs between glibc's FMA and non-FMA variants, Windows, macOS and musl.
/// Box-Muller's ln(u1) uses it, so a seed's normal draws are the same bits everywhere.
/// </summary>
/// <remarks>
/// <para>Fast path, double-double: x = 2^e m, m in [1, 2); the top 8 bits of m's fraction pick r, a
/// multiple of 2^-8 near 1/m (<see cref="LnCosTables.LogReciprocal"/>), and z = m r - 1 is exact in one
/// fused multiply-add (a multiple of 2^-60 below 2^-7.7). Then ln x = e ln 2 - ln r + ln(1 + z), with
/// ln 2 in three parts (e ln2High exact), -ln r a tabulated pair, and ln(1 + z) = z - z^2/2 + z^3/3 +
/// z^4 (-1/4 + z/5 - ... - z^6/10): z^2 and z^3 exact as pairs, the z^4 tail in double. Where r = 1/2 the
/// exponent takes the ln 2, so for x just below 1 everything but ln(1 + z) is exactly zero.</para>
/// <para>Error: the series stops at z^10 (|z|^11/11 &lt; 2^-87 absolute); the z^4 tail's roundings are
/// below 2^-84 absolute, the pairs' below 2^-100; and |ln x| &gt;= 2^-8.8 unless r is 1 or 1/2, where every
/// term is relative to z. So the pair is within about 2^-78 of ln x, relative (the worst seen on 3,000 random draws and
/// u1 = 1 - k 2^-53: 2^-78.5); the rounding test below
/// allows <see cref="FastPathErrorBound"/> = 2^-72 and CorrectlyRoundedLnCosTests measures the
/// pair's error against an independent 400-bit reference. Where the bound leaves the rounding
/// undecided (an input within 2^-72 of a rounding boundary: about one in 2^18), <see cref="FixedPointLnCos.Log"/> decides it exactly.</para>
/// </remarks>
internal static class CorrectlyRoundedLog
{
    /// <summary>2^-72: the relative error the fast pairs of ln and cos are trusted to (their analyses give about 2^-78 and 2^-76).</summary>
    public const double FastPathErrorBound = 1.0 / 4722366482869645213696.0;

    private const double TwoTo54 = 18014398509481984.0;

    /// <summary>ln x, correctly rounded; ln(+0) = -inf, ln(negative) = NaN, ln(+inf) = +inf, NaN stays NaN.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
        {
            return double.IsNaN(x) || x > 0 ? x : x == 0 ? double.NegativeInfinity : double.NaN;
        }
        if (x == 1) return 0;
        var (h, l) = DoubleDouble(x);
        return RoundIfDecided(h, l, out double result) ? result : FixedPointLnCos.Log(x);
    }

    /// <summary>
    /// h + l rounded, when every value within <see cref="FastPathErrorBound"/> of it (relative) rounds to
    /// the same double, and within <paramref name="absoluteError"/> more (sin and cos: their reduction's bound).
    /// RN is monotonic, so it is enough that both ends of the interval do.
    /// </summary>
    internal static bool RoundIfDecided(double h, double l, out double result, double absoluteError = 0)
    {
        double err = Math.Abs(h) * FastPathErrorBound + absoluteError;
        result = h + (l - err);
        return result == h + (l + err);
    }

    /// <summary>ln x as an unevaluated pair h + l (|l| &lt;= ulp(h)/2), for positive finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double High, double Low) DoubleDouble(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)(bits >> 52) - 1023;
        if (e == -1023)
        {
            // Subnormal: scale into the normal range first.
            bits = BitConverter.DoubleToInt64Bits(x * TwoTo54);
            e = (int)(bits >> 52) - 1023 - 54;
        }
        int i = (int)(bits >> 44) & 0xFF;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
        double r = LogReciprocal[i];
        if (r == 0.5) e++; // ln x = (e + 1) ln 2 + ln(m/2): the table holds 0 there, so nothing cancels near 1
        double z = Math.FusedMultiplyAdd(m, r, -1.0);

        // ln(1 + z) = z - z^2/2 + z^3/3 + z^4 T(z), with z^2 = s + sl and z^3 = u + ul + z sl exactly.
        var (s, sl) = TwoProduct(z, z);
        var (u, ul) = TwoProduct(z, s);
        double u3 = u / 3;
        double u3Low = (Math.FusedMultiplyAdd(-3.0, u3, u) + ul + z * sl) / 3; // u - 3 u3 is exact
        // T(z) = -1/4 + z/5 - z^2/6 + ... - z^6/10 in pairs of terms (Estrin), so its multiply-adds overlap.
        double t = Math.FusedMultiplyAdd(
            s,
            Math.FusedMultiplyAdd(s, Math.FusedMultiplyAdd(s, -1.0 / 10, Math.FusedMultiplyAdd(z, 1.0 / 9, -1.0 / 8)), Math.FusedMultiplyAdd(z, 1.0 / 7, -1.0 / 6)),
            Math.FusedMultiplyAdd(z, 1.0 / 5, -1.0 / 4));
        var (a, ae) = TwoSum(z, -0.5 * s);
        var (b, be) = TwoSum(a, u3);
        double seriesLow = ae + be - 0.5 * sl + u3Low + s * s * t;

        // e ln 2 - ln r, with e Ln2High exact (42 bits times an exponent of at most 11 bits).
        var (c, ce) = TwoSum(e * Ln2High, LogMinusLnReciprocal[2 * i]);
        var (p, pl) = TwoProduct(e, Ln2Mid);
        var (d, de) = TwoSum(c, p);
        double tableLow = ce + de + pl + LogMinusLnReciprocal[2 * i + 1] + e * Ln2Low;

        var (h, he) = TwoSum(d, b);
        return FastTwoSum(h, he + tableLow + seriesLow);
    }
}
