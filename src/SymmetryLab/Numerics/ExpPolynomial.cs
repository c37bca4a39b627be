using System.Runtime.CompilerServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// e^x for one number and for a vector of them, with the same operations in the same order, so a
/// vector lane (512-, 256- or 128-bit) and a scalar give the same bits on every CPU.
/// </summary>
/// <remarks>
/// The reduction and polynomials are those of AMD's AOCL-LibM (<c>vrd2_exp</c>, <c>vrs4_expf</c>), the
/// ones .NET's <c>Vector128.Exp</c> (and so TensorPrimitives.Exp) uses: on a CPU with FMA these
/// functions give its bits for every |x| &lt;= 708. What differs is deliberate:
/// <list type="bullet">
/// <item>Every multiply-add is a fused one (IEEE fusedMultiplyAdd, <c>Math.FusedMultiplyAdd</c> in a
/// scalar: exact in software too). .NET's "MultiplyAddEstimate" fuses only where the CPU has FMA, so
/// its results changed with <c>DOTNET_EnableAVX2=0</c>, and its scalar path calls the C library.</item>
/// <item>Large arguments are handled lane by lane (the result is scaled by 2^n in two exact steps),
/// where .NET computes the whole vector with the C library's exp as soon as one lane passes 708:
/// there an element's result depended on its neighbours.</item>
/// </list>
/// double: n = round(x / ln 2), r = x - n ln 2 (ln 2 in two parts), e^r by a degree-11 polynomial
/// (1 + r + D3 r^2 + ... + D12 r^11: Dk is the coefficient of r^(k-1)), times 2^n; within 1 ulp. float:
/// computed in double (2^(x / ln 2) by a degree-5 polynomial) and rounded to float once; +inf above
/// 88.72284, +0 below -103.97208.
/// </remarks>
internal static class ExpPolynomial
{
    private const double InvLn2 = 1.4426950408889634;
    /// <summary>1.5 * 2^52: adding it rounds a double below 2^51 to an integer held in the low bits.</summary>
    private const double RoundingShift = 6755399441055744;
    private const long RoundingShiftBits = 0x4338000000000000;
    private const double Ln2Head = 0.693359375, Ln2Tail = -0.00021219444005469057;
    /// <summary>Arguments are clamped to [-746, 710] first: e^x is already +0 or +inf beyond.</summary>
    private const double Lowest = -746, Highest = 710;
    /// <summary>
    /// 2^n is applied as 2^clamp(n) times 2^(n - clamp(n)): the first product stays normal, so the second
    /// rounds once (a subnormal result) or overflows.
    /// </summary>
    private const long MinExponent = -1000, MaxExponent = 1023;
    /// <summary>Within +-708 nothing is clamped and n = round(x / ln 2) stays within -1021..1021.</summary>
    private const double FastLimit = 708;

    private const double D3 = 0.5000000000000018, D4 = 0.1666666666666617, D5 = 0.04166666666649277, D6 = 0.008333333333559272;
    private const double D7 = 0.001388888895122404, D8 = 0.00019841269432677495, D9 = 2.4801486521374483E-05;
    private const double D10 = 2.7557622532543023E-06, D11 = 2.7632293298250954E-07, D12 = 2.499430431958571E-08;

    private const float SingleMax = 88.72284f, SingleMin = -103.97208f;
    /// <summary>Within +-87 no float result needs a select.</summary>
    private const float SingleFastLimit = 87;
    private const double S1 = 1.0000000754895704, S2 = 0.6931472254087585, S3 = 0.2402210737432219;
    private const double S4 = 0.05550297297702539, S5 = 0.009676036358193323, S6 = 0.001341000536524434;

    /// <summary>e^x in double.</summary>
    public static double Exp(double x)
    {
        if (x < Lowest) x = Lowest;
        if (x > Highest) x = Highest;
        double dn = Math.FusedMultiplyAdd(x, InvLn2, RoundingShift);
        long n = BitConverter.DoubleToInt64Bits(dn) - RoundingShiftBits;
        dn -= RoundingShift;
        double r = Math.FusedMultiplyAdd(dn, -Ln2Head, x);
        r = Math.FusedMultiplyAdd(dn, -Ln2Tail, r);
        double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        double poly = Math.FusedMultiplyAdd(
            Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(D12, r, D11), r2, Math.FusedMultiplyAdd(D10, r, D9)),
            r8,
            Math.FusedMultiplyAdd(
                Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(D8, r, D7), r2, Math.FusedMultiplyAdd(D6, r, D5)),
                r4,
                Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(D4, r, D3), r2, r + 1.0)));
        long high = Math.Clamp(n, MinExponent, MaxExponent);
        return poly * PowerOfTwo(high) * PowerOfTwo(n - high);
    }

    /// <summary>
    /// e^x in each lane: <see cref="Exp(double)"/>, lane by lane. When every lane is within +-708 (no NaN)
    /// nothing is clamped and 2^n is normal, so the result is poly * 2^n in one product (for n below -1000
    /// the scalar's two products give the same: the first is exact, the second rounds the same value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<V>(V x) where V : unmanaged, IDoubleVector<V>
    {
        if (!V.AllWithin(x, V.Create(-FastLimit), V.Create(FastLimit))) return ExpAnywhere(x);
        var dn = V.Fma(x, V.Create(InvLn2), V.Create(RoundingShift));
        var poly = Polynomial(x, dn - V.Create(RoundingShift));
        // dn's low bits hold n (two's complement): shifted into the exponent field they give 2^n.
        return poly * V.ShiftLeftInt64(V.AddInt64(dn, V.CreateInt64(1023)), 52);
    }

    /// <summary>The whole of <see cref="Exp(double)"/> with compares and selects: clamps, and 2^n in two factors.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static V ExpAnywhere<V>(V x) where V : unmanaged, IDoubleVector<V>
    {
        x = V.Select(V.LessThan(x, V.Create(Lowest)), V.Create(Lowest), x);
        x = V.Select(V.GreaterThan(x, V.Create(Highest)), V.Create(Highest), x);
        var n = V.Fma(x, V.Create(InvLn2), V.Create(RoundingShift)) - V.Create(RoundingShift);
        var poly = Polynomial(x, n);
        // n and its clamp are whole numbers held exactly in doubles.
        var high = V.Select(V.LessThan(n, V.Create(MinExponent)), V.Create(MinExponent), n);
        high = V.Select(V.GreaterThan(high, V.Create(MaxExponent)), V.Create(MaxExponent), high);
        return poly * PowerOfTwo(high) * PowerOfTwo(n - high);
    }

    /// <summary>e^r by the degree-11 polynomial, r = x - n ln 2 (ln 2 in two parts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Polynomial<V>(V x, V n) where V : unmanaged, IDoubleVector<V>
    {
        var r = V.Fma(n, V.Create(-Ln2Head), x);
        r = V.Fma(n, V.Create(-Ln2Tail), r);
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        return V.Fma(
            V.Fma(Fma(D12, r, D11), r2, Fma(D10, r, D9)),
            r8,
            V.Fma(
                V.Fma(Fma(D8, r, D7), r2, Fma(D6, r, D5)),
                r4,
                V.Fma(Fma(D4, r, D3), r2, r + V.Create(1.0))));
    }

    /// <summary>2^e for whole numbers e (-1022..1023) held in doubles, built from bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V PowerOfTwo<V>(V e) where V : unmanaged, IDoubleVector<V> =>
        V.ShiftLeftInt64(V.AddInt64(e + V.Create(RoundingShift), V.CreateInt64(1023)), 52);

    /// <summary>e^x in float: computed in double, rounded once.</summary>
    public static float Exp(float x)
    {
        if (float.IsNaN(x)) return x;
        if (x > SingleMax) return float.PositiveInfinity;
        if (x < SingleMin) return 0f;
        return (float)ExpOfSingle.Invoke(x);
    }

    /// <summary>e^x in each lane of a vector of floats: <see cref="Exp(float)"/>, lane by lane (the selects only when a lane is beyond +-87 or NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VF Exp<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD>
    {
        var y = FloatVector.InDouble<ExpOfSingle, VF, VD>(x);
        return VF.AllWithin(x, VF.Create(-SingleFastLimit), VF.Create(SingleFastLimit)) ? y : ExpFloatEnds<VF, VD>(x, y);
    }

    /// <summary>+inf above <see cref="SingleMax"/>, +0 below <see cref="SingleMin"/>, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VF ExpFloatEnds<VF, VD>(VF x, VF y) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD>
    {
        y = VF.Select(VF.GreaterThan(x, VF.Create(SingleMax)), VF.Create(float.PositiveInfinity), y);
        y = VF.Select(VF.LessThan(x, VF.Create(SingleMin)), VF.Create(0f), y);
        return VF.Select(VF.Equals(x, x), y, x);
    }

    /// <summary>2^z for the z = x / ln 2 of a float argument x (|z| &lt; 151): 2^(z - n) by a polynomial, n added to the exponent.</summary>
    private static double TwoToThe(double z)
    {
        double dn = z + RoundingShift;
        long n = BitConverter.DoubleToInt64Bits(dn);
        double r = z - (dn - RoundingShift);
        double r2 = r * r, r4 = r2 * r2;
        double poly = Math.FusedMultiplyAdd(r4, Math.FusedMultiplyAdd(S6, r, S5),
            Math.FusedMultiplyAdd(r2, Math.FusedMultiplyAdd(S4, r, S3), Math.FusedMultiplyAdd(S2, r, S1)));
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(poly) + (n << 52));
    }

    /// <summary>The double part of <see cref="Exp(float)"/>: 2^(x / ln 2) for a float x widened to double.</summary>
    private readonly struct ExpOfSingle : IDoubleFunction
    {
        public static double Invoke(double x) => TwoToThe(x * InvLn2);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V>
        {
            var z = x * V.Create(InvLn2);
            var dn = z + V.Create(RoundingShift);
            var r = z - (dn - V.Create(RoundingShift));
            var r2 = r * r;
            var r4 = r2 * r2;
            var poly = V.Fma(r4, Fma(S6, r, S5), V.Fma(r2, Fma(S4, r, S3), Fma(S2, r, S1)));
            return V.AddInt64(poly, V.ShiftLeftInt64(dn, 52));
        }
    }

    /// <summary>2^e for a normal exponent e (-1022..1023), built from its bits.</summary>
    private static double PowerOfTwo(long e) => BitConverter.Int64BitsToDouble((e + 1023) << 52);

    /// <summary>c1 * r + c0, fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma<V>(double c1, V r, double c0) where V : unmanaged, IDoubleVector<V> => V.Fma(V.Create(c1), r, V.Create(c0));
}
