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
/// Each function runs a vector body (<c>Vector&lt;T&gt;</c>, whatever width the machine gives it) and a
/// scalar tail that repeats the body's operations on one number (<see cref="ExpPolynomial"/>,
/// <see cref="LogPolynomial"/>): +, -, *, /, fused multiply-adds (exact in software too), selects and
/// bit operations, which round identically in a lane and in a scalar. Not TensorPrimitives' Exp, Sigmoid
/// or LogP1: they fuse multiply-adds only where the CPU has FMA, call the C library's exp and log on a
/// machine without vector hardware and for a whole vector when one lane is large, so their bits moved
/// with <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c>. On an FMA machine ours give
/// theirs for every |x| &lt;= 708 (tested), so models trained there keep their bytes.
/// </remarks>
public static class ElementwiseMath
{
    /// <summary>y = e^x (y may be x).</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) ExpFloat(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) ExpDouble(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>y = 1 / (1 + e^-x) in T (y may be x).</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) SigmoidFloat(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) SigmoidDouble(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>y = ln(1 + x), the logarithm of 1 + x rounded to T (as TensorPrimitives.LogP1); float is computed in double (y may be x).</summary>
    public static void LogP1<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) LogP1Double(Cast<T, double>(x), Cast<T, double>(y));
        else if (typeof(T) == typeof(float)) LogP1Float(Cast<T, float>(x), Cast<T, float>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    private static void ExpDouble(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<double>.Count;
        for (; i + w <= x.Length; i += w) ExpPolynomial.Exp(new Vector<double>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = ExpPolynomial.Exp(x[i]);
    }

    private static void ExpFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= x.Length; i += w) ExpPolynomial.Exp(new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = ExpPolynomial.Exp(x[i]);
    }

    private static void SigmoidDouble(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<double>.Count;
        for (; i + w <= x.Length; i += w)
            (Vector<double>.One / (Vector<double>.One + ExpPolynomial.Exp(-new Vector<double>(x[i..])))).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = 1.0 / (1.0 + ExpPolynomial.Exp(-x[i]));
    }

    private static void SigmoidFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= x.Length; i += w)
            (Vector<float>.One / (Vector<float>.One + ExpPolynomial.Exp(-new Vector<float>(x[i..])))).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = 1f / (1f + ExpPolynomial.Exp(-x[i]));
    }

    private static void LogP1Double(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<double>.Count;
        for (; i + w <= x.Length; i += w) LogPolynomial.Log(new Vector<double>(x[i..]) + Vector<double>.One).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = LogPolynomial.Log(x[i] + 1.0);
    }

    private static void LogP1Float(ReadOnlySpan<float> x, Span<float> y)
    {
        y = y[..x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (float)LogPolynomial.Log((double)(x[i] + 1f));
    }

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> x) where TFrom : struct where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(x);

    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> x) where TFrom : struct where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(x);

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
        if (typeof(T) == typeof(float)) TanhFloat(Cast<T, float>(x), Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) TanhDouble(Cast<T, double>(x), Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    private const float F0 = -5.70498872745E-3f, F1 = 2.06390887954E-2f, F2 = -5.37397155531E-2f, F3 = 1.33314422036E-1f, F4 = -3.33332819422E-1f;
    private const double P0 = -9.64399179425052238628E-1, P1 = -9.92877231001918586564E1, P2 = -1.61468768441708447952E3;
    private const double Q0 = 1.12811678491632931402E2, Q1 = 2.23548839060100448583E3, Q2 = 4.84406305325125486048E3;

    /// <summary>Cephes tanhf: x + x z P(z), z = x^2, for |x| &lt; 0.625.</summary>
    private static void TanhFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= x.Length; i += w)
        {
            var xi = new Vector<float>(x[i..]);
            var z = xi * xi;
            var small = ((((new Vector<float>(F0) * z + new Vector<float>(F1)) * z + new Vector<float>(F2)) * z + new Vector<float>(F3)) * z + new Vector<float>(F4)) * z * xi + xi;
            small = Vector.ConditionalSelect(Vector.Equals(xi, Vector<float>.Zero), xi, small); // tanh(-0) = -0
            var large = Vector<float>.One - new Vector<float>(2f) / (ExpPolynomial.Exp(Vector.Abs(xi) + Vector.Abs(xi)) + Vector<float>.One);
            large = Vector.ConditionalSelect(Vector.LessThan(xi, Vector<float>.Zero), -large, large);
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(xi), new Vector<float>(0.625f)), small, large).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = Tanh(x[i]);
    }

    /// <summary>tanh of one float: the vector body's operations on one lane.</summary>
    internal static float Tanh(float x)
    {
        float z = x * x;
        float small = x == 0f ? x : ((((F0 * z + F1) * z + F2) * z + F3) * z + F4) * z * x + x;
        float large = 1f - 2f / (ExpPolynomial.Exp(MathF.Abs(x) + MathF.Abs(x)) + 1f);
        large = x < 0f ? -large : large;
        return MathF.Abs(x) < 0.625f ? small : large;
    }

    /// <summary>Cephes tanh: x + x z P(z) / Q(z), z = x^2, for |x| &lt; 0.625.</summary>
    private static void TanhDouble(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int i = 0, w = Vector<double>.Count;
        for (; i + w <= x.Length; i += w)
        {
            var xi = new Vector<double>(x[i..]);
            var z = xi * xi;
            var p = (new Vector<double>(P0) * z + new Vector<double>(P1)) * z + new Vector<double>(P2);
            var q = ((z + new Vector<double>(Q0)) * z + new Vector<double>(Q1)) * z + new Vector<double>(Q2);
            var small = Vector.ConditionalSelect(Vector.Equals(xi, Vector<double>.Zero), xi, xi + xi * z * p / q); // tanh(-0) = -0
            var large = Vector<double>.One - new Vector<double>(2.0) / (ExpPolynomial.Exp(Vector.Abs(xi) + Vector.Abs(xi)) + Vector<double>.One);
            large = Vector.ConditionalSelect(Vector.LessThan(xi, Vector<double>.Zero), -large, large);
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(xi), new Vector<double>(0.625)), small, large).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = Tanh(x[i]);
    }

    /// <summary>tanh of one double: the vector body's operations on one lane.</summary>
    internal static double Tanh(double x)
    {
        double z = x * x;
        double p = (P0 * z + P1) * z + P2;
        double q = ((z + Q0) * z + Q1) * z + Q2;
        double small = x == 0.0 ? x : x + x * z * p / q;
        double large = 1.0 - 2.0 / (ExpPolynomial.Exp(Math.Abs(x) + Math.Abs(x)) + 1.0);
        large = x < 0.0 ? -large : large;
        return Math.Abs(x) < 0.625 ? small : large;
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
