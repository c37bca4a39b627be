using System.Runtime.CompilerServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// ln x in double for one number and for a vector of them, with the same operations in the same order,
/// so a vector lane (512-, 256- or 128-bit) and a scalar give the same bits on every CPU.
/// </summary>
/// <remarks>
/// AMD AOCL-LibM's <c>vrd2_log</c>, as .NET's <c>Vector128.Log</c> (and so TensorPrimitives.Log and
/// LogP1) computes it, with every multiply-add fused (where .NET fuses only on a CPU with FMA, and its
/// scalar path calls the C library): x = 2^n m with m in [2/3, 4/3), ln x = n ln 2 + ln(1 + f), f = m - 1,
/// ln(1 + f) by a degree-20 polynomial. ln(+0) = -inf, ln(negative) = NaN, ln(+inf) = +inf, NaN stays
/// NaN; subnormal x is scaled by 2^52 first.
/// </remarks>
internal static class LogPolynomial
{
    private const long SmallestNormalBits = 0x0010000000000000, InfinityBits = 0x7FF0000000000000;
    private const double SmallestNormal = 2.2250738585072014E-308;
    private const long MantissaMask = 0x000FFFFFFFFFFFFF;
    /// <summary>The bits of 2/3: subtracting them puts the mantissa's range at [2/3, 4/3).</summary>
    private const long TwoThirdsBits = 0x3FE5555555555555;
    private const double Ln2Head = 0.693359375, Ln2Tail = -0.00021219444005469057;
    private const double TwoTo52 = 4503599627370496.0;

    private const double C02 = -0.499999999999999560, C03 = +0.333333333333414750, C04 = -0.250000000000297430;
    private const double C05 = +0.199999999975985220, C06 = -0.166666666608919500, C07 = +0.142857145600277100;
    private const double C08 = -0.125000005127831270, C09 = +0.111110952357159440, C10 = -0.099999750495501240;
    private const double C11 = +0.090914349823462390, C12 = -0.083340600527551860, C13 = +0.076817603328311300;
    private const double C14 = -0.071296718946287310, C15 = +0.067963465211535730, C16 = -0.063995035098960040;
    private const double C17 = +0.049370587082412105, C18 = -0.045370170994891980, C19 = +0.088970636003577750;
    private const double C20 = -0.086906174116908760;

    /// <summary>ln x.</summary>
    public static double Log(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        if ((ulong)(bits - SmallestNormalBits) >= (ulong)(InfinityBits - SmallestNormalBits))
        {
            // Zero, subnormal, negative, infinite or NaN.
            if (double.IsNaN(x) || double.IsPositiveInfinity(x)) return x;
            if (x == 0) return double.NegativeInfinity;
            if (x < 0) return double.NaN;
            bits = BitConverter.DoubleToInt64Bits(x * TwoTo52) - (52L << 52);
        }
        long reduced = bits - TwoThirdsBits;
        double n = reduced >> 52;
        double r = BitConverter.Int64BitsToDouble((reduced & MantissaMask) + TwoThirdsBits) - 1.0;
        double r02 = r * r, r04 = r02 * r02, r08 = r04 * r04, r16 = r08 * r08;
        double poly = Math.FusedMultiplyAdd(
            r16,
            Math.FusedMultiplyAdd(C20, r04, Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C19, r, C18), r02, Math.FusedMultiplyAdd(C17, r, C16))),
            Math.FusedMultiplyAdd(
                r08,
                Math.FusedMultiplyAdd(
                    r04,
                    Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C15, r, C14), r02, Math.FusedMultiplyAdd(C13, r, C12)),
                    Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C11, r, C10), r02, Math.FusedMultiplyAdd(C09, r, C08))),
                Math.FusedMultiplyAdd(
                    r04,
                    Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C07, r, C06), r02, Math.FusedMultiplyAdd(C05, r, C04)),
                    Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C03, r, C02), r02, r))));
        return Math.FusedMultiplyAdd(n, Ln2Head, Math.FusedMultiplyAdd(n, Ln2Tail, poly));
    }

    /// <summary>ln x in each lane: <see cref="Log(double)"/>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log<V>(V x) where V : unmanaged, IDoubleVector<V> =>
        V.AllWithin(x, V.Create(SmallestNormal), V.Create(double.MaxValue)) ? LogOfNormal(x) : LogAnywhere(x);

    /// <summary>Zero, subnormal, negative, infinite and NaN lanes too, with compares and selects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static V LogAnywhere<V>(V x) where V : unmanaged, IDoubleVector<V>
    {
        var computed = V.GreaterThan(x, V.Create(0.0)) & V.LessThan(x, V.Create(double.PositiveInfinity));
        // The others: ln(negative) = NaN, ln(+-0) = -inf, +inf and NaN stay.
        var special = V.Select(V.LessThan(x, V.Create(0.0)), V.Create(double.NaN), x);
        special = V.Select(V.Equals(x, V.Create(0.0)), V.Create(double.NegativeInfinity), special);
        var subnormal = computed & V.LessThan(x, V.Create(SmallestNormal));
        x = V.Select(subnormal, V.SubtractInt64(x * V.Create(TwoTo52), V.CreateInt64(52L << 52)), x);
        return V.Select(computed, LogOfNormal(x), special);
    }

    /// <summary>ln x for x given by the bits of a positive normal double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LogOfNormal<V>(V x) where V : unmanaged, IDoubleVector<V>
    {
        var reduced = V.SubtractInt64(x, V.CreateInt64(TwoThirdsBits));
        var n = V.ShiftRight52ToDouble(reduced);
        var r = V.AddInt64(reduced & V.CreateInt64(MantissaMask), V.CreateInt64(TwoThirdsBits)) - V.Create(1.0);
        var r02 = r * r;
        var r04 = r02 * r02;
        var r08 = r04 * r04;
        var r16 = r08 * r08;
        var poly = V.Fma(
            r16,
            V.Fma(V.Create(C20), r04, V.Fma(Fma(C19, r, C18), r02, Fma(C17, r, C16))),
            V.Fma(
                r08,
                V.Fma(
                    r04,
                    V.Fma(Fma(C15, r, C14), r02, Fma(C13, r, C12)),
                    V.Fma(Fma(C11, r, C10), r02, Fma(C09, r, C08))),
                V.Fma(
                    r04,
                    V.Fma(Fma(C07, r, C06), r02, Fma(C05, r, C04)),
                    V.Fma(Fma(C03, r, C02), r02, r))));
        return V.Fma(n, V.Create(Ln2Head), V.Fma(n, V.Create(Ln2Tail), poly));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma<V>(double c1, V r, double c0) where V : unmanaged, IDoubleVector<V> => V.Fma(V.Create(c1), r, V.Create(c0));
}
