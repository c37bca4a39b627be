using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Lab;

/// <summary>
/// The element-wise steps of the lines' pass (<see cref="LossBarrier.Lines{T}"/>), a vector at a time:
/// the straight line between two parameter vectors, and between two layers' pre-activations. Each
/// lane does what the scalar form does, one rounding per operation (a subtraction, a multiplication,
/// an addition, then the rounding to T; never a fused multiply-add), so the vectors give the scalar
/// bits on every CPU path; the tail shorter than a vector takes the scalar form itself.
/// </summary>
/// <remarks>Compiled fully optimized from the first call: each runs a few dozen times per chunk over
/// half a million numbers, and tier-0 code of the vector operations is an order of magnitude slower.</remarks>
internal static class LineKernels
{
    /// <summary>
    /// into[i] = T(x[i] + t (y[i] - x[i])) computed in double and rounded once to T, and T(y[i]) at
    /// t = 1 (as <see cref="LossBarrier.Interpolate"/>, then the conversion to the evaluation's precision).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Point<T>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double t, Span<T> into) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        if (y.Length != n || into.Length < n) throw new ArgumentException("the spans differ in length");
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double y0 = ref MemoryMarshal.GetReference(y);
        bool far = t == 1;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vt = Vector512.Create(t);
            int w = Vector512<double>.Count;
            if (typeof(T) == typeof(double))
            {
                ref double o = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(into));
                for (; i + w <= n; i += w)
                    Line(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512.LoadUnsafe(ref y0, (nuint)i), vt, far).StoreUnsafe(ref o, (nuint)i);
            }
            else if (typeof(T) == typeof(float))
            {
                ref float o = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(into));
                for (; i + 2 * w <= n; i += 2 * w)
                {
                    var low = Line(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512.LoadUnsafe(ref y0, (nuint)i), vt, far);
                    var high = Line(Vector512.LoadUnsafe(ref x0, (nuint)(i + w)), Vector512.LoadUnsafe(ref y0, (nuint)(i + w)), vt, far);
                    Vector512.Narrow(low, high).StoreUnsafe(ref o, (nuint)i);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vt = Vector256.Create(t);
            int w = Vector256<double>.Count;
            if (typeof(T) == typeof(double))
            {
                ref double o = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(into));
                for (; i + w <= n; i += w)
                    Line(Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256.LoadUnsafe(ref y0, (nuint)i), vt, far).StoreUnsafe(ref o, (nuint)i);
            }
            else if (typeof(T) == typeof(float))
            {
                ref float o = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(into));
                for (; i + 2 * w <= n; i += 2 * w)
                {
                    var low = Line(Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256.LoadUnsafe(ref y0, (nuint)i), vt, far);
                    var high = Line(Vector256.LoadUnsafe(ref x0, (nuint)(i + w)), Vector256.LoadUnsafe(ref y0, (nuint)(i + w)), vt, far);
                    Vector256.Narrow(low, high).StoreUnsafe(ref o, (nuint)i);
                }
            }
        }
        for (; i < n; i++) into[i] = T.CreateChecked(far ? y[i] : x[i] + t * (y[i] - x[i]));
    }

    /// <summary>into[i] = a[i] + t (b[i] - a[i]) in T (three roundings, as the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Lerp<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T t, Span<T> into) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length;
        if (b.Length != n || into.Length < n) throw new ArgumentException("the spans differ in length");
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T o = ref MemoryMarshal.GetReference(into);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var vt = Vector512.Create(t);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var va = Vector512.LoadUnsafe(ref a0, (nuint)i);
                (va + vt * (Vector512.LoadUnsafe(ref b0, (nuint)i) - va)).StoreUnsafe(ref o, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var vt = Vector256.Create(t);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var va = Vector256.LoadUnsafe(ref a0, (nuint)i);
                (va + vt * (Vector256.LoadUnsafe(ref b0, (nuint)i) - va)).StoreUnsafe(ref o, (nuint)i);
            }
        }
        for (; i < n; i++) into[i] = a[i] + t * (b[i] - a[i]);
    }

    /// <summary>
    /// The columns of a rows x n matrix reordered and signed: into[r, j] = sign[j] z[r, perm[j]] (a
    /// negation is exact). Layer 1 of an end that is B reordered, from B's own pre-activations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Columns<T>(ReadOnlySpan<T> z, int rows, int n, int[] perm, int[] sign, Span<T> into) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var from = z.Slice(r * n, n);
            var to = into.Slice(r * n, n);
            for (int j = 0; j < n; j++) to[j] = sign[j] < 0 ? -from[perm[j]] : from[perm[j]];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Line(Vector512<double> x, Vector512<double> y, Vector512<double> t, bool far) => far ? y : x + t * (y - x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Line(Vector256<double> x, Vector256<double> y, Vector256<double> t, bool far) => far ? y : x + t * (y - x);
}
