using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// The engine's exponentials, sigmoid, tanh and log(1 + x): TensorPrimitives, always through its vector
/// code, and a tanh of our own built on its exponential; and the lane-by-lane FMA of the lane paths.
/// </summary>
/// <remarks>
/// TensorPrimitives computes a span at least one Vector128 long with vector code whose lanes agree bit
/// for bit at every width (128, 256, 512 bits), but a shorter span (under 4 floats or 2 doubles) with
/// the scalar Math functions, which round differently: sigmoid(z) of one sample would not equal the same
/// z inside a batch. Short spans are padded to a vector here, so an element's result depends on its
/// value alone: a row predicted alone matches the row inside a file, and a network trained in vector
/// lanes (a seed batch, a tiny network's samples) matches the same network trained the general way.
/// </remarks>
public static class ElementwiseMath
{
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= Vector128<T>.Count) TensorPrimitives.Exp(x, y);
        else Padded(x, y, static (a, b) => TensorPrimitives.Exp<T>(a, b));
    }

    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= Vector128<T>.Count) TensorPrimitives.Sigmoid(x, y);
        else Padded(x, y, static (a, b) => TensorPrimitives.Sigmoid<T>(a, b));
    }

    public static void LogP1<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= Vector128<T>.Count) TensorPrimitives.LogP1(x, y);
        else Padded(x, y, static (a, b) => TensorPrimitives.LogP1<T>(a, b));
    }

    /// <summary>
    /// y = tanh(x) (x and y must not overlap), as Cephes computes it: an odd polynomial (a rational
    /// function in double) for |x| &lt; 0.625, else sign(x) (1 - 2 / (e^(2|x|) + 1)). Exactly +-0 at +-0 and
    /// within a few units in the last place elsewhere (checked against Math.Tanh in the tests).
    /// </summary>
    /// <remarks>
    /// Not TensorPrimitives.Tanh, whose tanh(0f) is -5.96e-8 (it would nudge a zero-started net off its
    /// saddle point), nor Math.Tanh one element at a time, which is slow and the C library's own. The
    /// polynomial and the combination use only +, -, *, / and selects, which round the same in a vector
    /// lane and in the scalar tail, so an element's result depends on its value alone.
    /// </remarks>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        y = y[..x.Length];
        if (x.Overlaps(y)) throw new ArgumentException("tanh needs separate input and output spans", nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = T.Abs(x[i]) + T.Abs(x[i]);
        Exp<T>(y, y);
        if (typeof(T) == typeof(float)) TanhFloat(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) TanhDouble(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Cephes tanhf: x + x z P(z), z = x^2, for |x| &lt; 0.625; y holds e^(2|x|) on entry.</summary>
    private static void TanhFloat(ReadOnlySpan<float> x, Span<float> y)
    {
        const float p0 = -5.70498872745E-3f, p1 = 2.06390887954E-2f, p2 = -5.37397155531E-2f, p3 = 1.33314422036E-1f, p4 = -3.33332819422E-1f;
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= x.Length; i += w)
        {
            var xi = new Vector<float>(x[i..]);
            var z = xi * xi;
            var small = ((((new Vector<float>(p0) * z + new Vector<float>(p1)) * z + new Vector<float>(p2)) * z + new Vector<float>(p3)) * z + new Vector<float>(p4)) * z * xi + xi;
            small = Vector.ConditionalSelect(Vector.Equals(xi, Vector<float>.Zero), xi, small); // tanh(-0) = -0
            var large = Vector<float>.One - new Vector<float>(2f) / (new Vector<float>(y[i..]) + Vector<float>.One);
            large = Vector.ConditionalSelect(Vector.LessThan(xi, Vector<float>.Zero), -large, large);
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(xi), new Vector<float>(0.625f)), small, large).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            float xi = x[i], z = xi * xi;
            float small = xi == 0f ? xi : ((((p0 * z + p1) * z + p2) * z + p3) * z + p4) * z * xi + xi;
            float large = 1f - 2f / (y[i] + 1f);
            large = xi < 0f ? -large : large;
            y[i] = MathF.Abs(xi) < 0.625f ? small : large;
        }
    }

    /// <summary>Cephes tanh: x + x z P(z) / Q(z), z = x^2, for |x| &lt; 0.625; y holds e^(2|x|) on entry.</summary>
    private static void TanhDouble(ReadOnlySpan<double> x, Span<double> y)
    {
        const double p0 = -9.64399179425052238628E-1, p1 = -9.92877231001918586564E1, p2 = -1.61468768441708447952E3;
        const double q0 = 1.12811678491632931402E2, q1 = 2.23548839060100448583E3, q2 = 4.84406305325125486048E3;
        int i = 0, w = Vector<double>.Count;
        for (; i + w <= x.Length; i += w)
        {
            var xi = new Vector<double>(x[i..]);
            var z = xi * xi;
            var p = (new Vector<double>(p0) * z + new Vector<double>(p1)) * z + new Vector<double>(p2);
            var q = ((z + new Vector<double>(q0)) * z + new Vector<double>(q1)) * z + new Vector<double>(q2);
            var small = Vector.ConditionalSelect(Vector.Equals(xi, Vector<double>.Zero), xi, xi + xi * z * p / q); // tanh(-0) = -0
            var large = Vector<double>.One - new Vector<double>(2.0) / (new Vector<double>(y[i..]) + Vector<double>.One);
            large = Vector.ConditionalSelect(Vector.LessThan(xi, Vector<double>.Zero), -large, large);
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(xi), new Vector<double>(0.625)), small, large).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            double xi = x[i], z = xi * xi;
            double p = (p0 * z + p1) * z + p2;
            double q = ((z + q0) * z + q1) * z + q2;
            double small = xi == 0.0 ? xi : xi + xi * z * p / q;
            double large = 1.0 - 2.0 / (y[i] + 1.0);
            large = xi < 0.0 ? -large : large;
            y[i] = Math.Abs(xi) < 0.625 ? small : large;
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

    private delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> y);

    private static void Padded<T>(ReadOnlySpan<T> x, Span<T> y, SpanFunction<T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> buffer = stackalloc T[Vector128<T>.Count];
        buffer.Clear();
        x.CopyTo(buffer);
        f(buffer, buffer);
        buffer[..x.Length].CopyTo(y);
    }
}
