using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// The engine's exponentials, sigmoid, tanh and log(1 + x), and the lane-by-lane FMA of the lane paths:
/// each element computed with the same operations in the same order whatever its position in the span
/// and whatever the CPU (AVX-512, AVX2, SSE, ARM64 AdvSimd or none), so a model's bytes never depend on
/// the machine that trained it.
/// </summary>
/// <remarks>
/// Each function is a vector kernel, run by <see cref="SpanMap"/> at the widest width the machine
/// accelerates, and a scalar function that repeats the kernel's operations on one number
/// (<see cref="ExpPolynomial"/>, <see cref="LogPolynomial"/>): +, -, *, /, fused multiply-adds (exact in
/// software too), selects and bit operations, which round identically in a lane and in a scalar. Not
/// TensorPrimitives' Exp, Sigmoid or LogP1: they fuse multiply-adds only where the CPU has FMA, call the
/// C library's exp and log on a machine without vector hardware and for a whole vector when one lane is
/// large, so their bits moved with <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c>. On
/// an FMA machine ours give theirs for every |x| &lt;= 708 (tested), so models trained there keep their
/// bytes.
/// </remarks>
internal static class ElementwiseMath
{
    /// <summary>y = e^x (y may be x).</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) SpanMap.Apply<ExpFloat>(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) SpanMap.Apply<ExpDouble>(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>y = 1 / (1 + e^-x) in T (y may be x).</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) SpanMap.Apply<SigmoidFloat>(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) SpanMap.Apply<SigmoidDouble>(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>y = ln(1 + x), the logarithm of 1 + x rounded to T (as TensorPrimitives.LogP1); float is computed in double (y may be x).</summary>
    public static void LogP1<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) SpanMap.Apply<LogP1Double>(Cast<T, double>(x), Cast<T, double>(y));
        else if (typeof(T) == typeof(float)) SpanMap.Apply<LogP1Float>(Cast<T, float>(x), Cast<T, float>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>
    /// y = tanh(x) (y may be x), as Cephes computes it: an odd polynomial (a rational function in double)
    /// for |x| &lt; 0.625, else sign(x) (1 - 2 / (e^(2|x|) + 1)). Exactly +-0 at +-0 and within a few units
    /// in the last place elsewhere (checked against Math.Tanh in the tests).
    /// </summary>
    /// <remarks>
    /// Not TensorPrimitives.Tanh, whose tanh(0f) is -5.96e-8 (it would nudge a zero-started net off its
    /// saddle point), nor Math.Tanh one element at a time, which is slow and the C library's own.
    /// </remarks>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) SpanMap.Apply<TanhFloat>(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) SpanMap.Apply<TanhDouble>(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>tanh of one float: the vector kernel's operations on one lane.</summary>
    internal static float Tanh(float x) => TanhFloat.Invoke(x);

    /// <summary>tanh of one double: the vector kernel's operations on one lane.</summary>
    internal static double Tanh(double x) => TanhDouble.Invoke(x);

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> x) where TFrom : struct where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(x);

    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> x) where TFrom : struct where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(x);

    private readonly struct ExpDouble : IDoubleFunction
    {
        public static double Invoke(double x) => ExpPolynomial.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V> => ExpPolynomial.Exp(x);
    }

    private readonly struct ExpFloat : IFloatFunction
    {
        public static float Invoke(float x) => ExpPolynomial.Exp(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static VF Invoke<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD> => ExpPolynomial.Exp<VF, VD>(x);
    }

    private readonly struct SigmoidDouble : IDoubleFunction
    {
        public static double Invoke(double x) => 1.0 / (1.0 + ExpPolynomial.Exp(-x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V> => V.Create(1.0) / (V.Create(1.0) + ExpPolynomial.Exp(-x));
    }

    private readonly struct SigmoidFloat : IFloatFunction
    {
        public static float Invoke(float x) => 1f / (1f + ExpPolynomial.Exp(-x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static VF Invoke<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD> =>
            VF.Create(1f) / (VF.Create(1f) + ExpPolynomial.Exp<VF, VD>(-x));
    }

    private readonly struct LogP1Double : IDoubleFunction
    {
        public static double Invoke(double x) => LogPolynomial.Log(x + 1.0);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V> => LogPolynomial.Log(x + V.Create(1.0));
    }

    /// <summary>1 + x rounded to float, its logarithm computed in double and rounded to float.</summary>
    private readonly struct LogP1Float : IFloatFunction
    {
        public static float Invoke(float x) => (float)Log.Invoke(x + 1f);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static VF Invoke<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD> =>
            FloatVector.InDouble<Log, VF, VD>(x + VF.Create(1f));
    }

    private readonly struct Log : IDoubleFunction
    {
        public static double Invoke(double x) => LogPolynomial.Log(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V> => LogPolynomial.Log(x);
    }

    private const float F0 = -5.70498872745E-3f, F1 = 2.06390887954E-2f, F2 = -5.37397155531E-2f, F3 = 1.33314422036E-1f, F4 = -3.33332819422E-1f;
    private const double P0 = -9.64399179425052238628E-1, P1 = -9.92877231001918586564E1, P2 = -1.61468768441708447952E3;
    private const double Q0 = 1.12811678491632931402E2, Q1 = 2.23548839060100448583E3, Q2 = 4.84406305325125486048E3;
    /// <summary>Below it in magnitude tanh is the polynomial; at and above it, from the exponential.</summary>
    private const double TanhSplit = 0.625;
    /// <summary>The largest double and float below <see cref="TanhSplit"/>.</summary>
    private const double BelowSplit = 0.62499999999999989;
    private const float BelowSplitFloat = 0.62499994f;

    /// <summary>
    /// Cephes tanhf: x + x z P(z), z = x^2, for |x| &lt; 0.625. A vector whose lanes are all on one side of
    /// 0.625 computes that side only (the select discards the other; x stands in for it).
    /// </summary>
    private readonly struct TanhFloat : IFloatFunction
    {
        public static float Invoke(float x)
        {
            float z = x * x;
            float small = x == 0f ? x : ((((F0 * z + F1) * z + F2) * z + F3) * z + F4) * z * x + x;
            float large = 1f - 2f / (ExpPolynomial.Exp(MathF.Abs(x) + MathF.Abs(x)) + 1f);
            large = x < 0f ? -large : large;
            return MathF.Abs(x) < (float)TanhSplit ? small : large;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static VF Invoke<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD>
        {
            var ax = VF.Abs(x);
            var small = VF.AllWithin(ax, VF.Create((float)TanhSplit), VF.Create(float.PositiveInfinity)) ? x : Small(x);
            var large = VF.AllWithin(ax, VF.Create(0f), VF.Create(BelowSplitFloat)) ? x : Large(x);
            return VF.Select(VF.LessThan(ax, VF.Create((float)TanhSplit)), small, large);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static VF Small(VF x)
            {
                var z = x * x;
                var small = ((((VF.Create(F0) * z + VF.Create(F1)) * z + VF.Create(F2)) * z + VF.Create(F3)) * z + VF.Create(F4)) * z * x + x;
                return VF.Select(VF.Equals(x, VF.Create(0f)), x, small); // tanh(-0) = -0
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static VF Large(VF x)
            {
                var large = VF.Create(1f) - VF.Create(2f) / (ExpPolynomial.Exp<VF, VD>(VF.Abs(x) + VF.Abs(x)) + VF.Create(1f));
                return VF.Select(VF.LessThan(x, VF.Create(0f)), -large, large);
            }
        }
    }

    /// <summary>Cephes tanh: x + x z P(z) / Q(z), z = x^2, for |x| &lt; 0.625; one side only as in <see cref="TanhFloat"/>.</summary>
    private readonly struct TanhDouble : IDoubleFunction
    {
        public static double Invoke(double x)
        {
            double z = x * x;
            double p = (P0 * z + P1) * z + P2;
            double q = ((z + Q0) * z + Q1) * z + Q2;
            double small = x == 0.0 ? x : x + x * z * p / q;
            double large = 1.0 - 2.0 / (ExpPolynomial.Exp(Math.Abs(x) + Math.Abs(x)) + 1.0);
            large = x < 0.0 ? -large : large;
            return Math.Abs(x) < TanhSplit ? small : large;
        }

        /// <summary>
        /// Both sides end in a division, (x z P(z)) / Q(z) and 2 / (e^(2|x|) + 1): each lane's operands are
        /// picked first and divided once (a 512-bit division costs as much as the rest of the polynomial).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V>
        {
            var ax = V.Abs(x);
            var small = V.LessThan(ax, V.Create(TanhSplit));
            V numerator = V.Create(2.0), denominator = V.Create(1.0);
            if (!V.AllWithin(ax, V.Create(0.0), V.Create(BelowSplit)))
                denominator = ExpPolynomial.Exp(ax + ax) + V.Create(1.0);
            if (!V.AllWithin(ax, V.Create(TanhSplit), V.Create(double.PositiveInfinity)))
            {
                var z = x * x;
                var p = (V.Create(P0) * z + V.Create(P1)) * z + V.Create(P2);
                var q = ((z + V.Create(Q0)) * z + V.Create(Q1)) * z + V.Create(Q2);
                numerator = V.Select(small, x * z * p, numerator);
                denominator = V.Select(small, q, denominator);
            }
            var quotient = numerator / denominator;
            var large = V.Create(1.0) - quotient;
            large = V.Select(V.LessThan(x, V.Create(0.0)), -large, large);
            // tanh(-0) = -0
            return V.Select(small, V.Select(V.Equals(x, V.Create(0.0)), x, x + quotient), large);
        }
    }

    /// <summary>x * y + acc with one rounding per lane (IEEE fusedMultiplyAdd): lane by lane what <c>T.FusedMultiplyAdd</c> gives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
