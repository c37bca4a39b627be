using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// The element-wise steps of the lines' pass (<see cref="LossBarrier.Lines{T}"/>), a vector at a time:
/// the straight line between two parameter vectors, and between two layers' pre-activations. Each
/// lane does what the scalar form does, one rounding per operation (a subtraction, a multiplication,
/// an addition, then the rounding to T; never a fused multiply-add), so the vectors give the scalar
/// bits on every CPU path; the tail shorter than a vector takes the scalar form itself. One body
/// serves 512-bit and 256-bit vectors (<see cref="ISimdVector{TSelf, T}"/>), as the products' kernels.
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
        bool far = t == 1;
        int i = Vector512.IsHardwareAccelerated ? Point<T, Simd512<double>>(x, y, t, far, into)
            : Vector256.IsHardwareAccelerated ? Point<T, Simd256<double>>(x, y, t, far, into)
            : 0;
        for (; i < n; i++) into[i] = T.CreateChecked(far ? y[i] : x[i] + t * (y[i] - x[i]));
    }

    /// <summary><see cref="Point{T}"/> in vectors of <typeparamref name="TV"/>: returns how many elements it wrote (whole vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Point<T, TV>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double t, bool far, Span<T> into)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : unmanaged, ISimdVector<TV, double>
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double y0 = ref MemoryMarshal.GetReference(y);
        var vt = TV.Broadcast(t);
        int n = x.Length, w = TV.Count, i = 0;
        if (typeof(T) == typeof(double))
        {
            ref double o = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(into));
            for (; i + w <= n; i += w)
                Line<TV, double>(TV.Load(ref Unsafe.Add(ref x0, i)), TV.Load(ref Unsafe.Add(ref y0, i)), vt, far).Store(ref Unsafe.Add(ref o, i));
        }
        else if (typeof(T) == typeof(float))
        {
            ref float o = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(into));
            for (; i + 2 * w <= n; i += 2 * w)
                TV.StoreNarrowed(Line<TV, double>(TV.Load(ref Unsafe.Add(ref x0, i)), TV.Load(ref Unsafe.Add(ref y0, i)), vt, far),
                    Line<TV, double>(TV.Load(ref Unsafe.Add(ref x0, i + w)), TV.Load(ref Unsafe.Add(ref y0, i + w)), vt, far), ref Unsafe.Add(ref o, i));
        }
        return i;
    }

    /// <summary>into[i] = a[i] + t (b[i] - a[i]) in T (three roundings, as the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Lerp<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T t, Span<T> into) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length;
        if (b.Length != n || into.Length < n) throw new ArgumentException("the spans differ in length");
        int i = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Lerp<T, Simd512<T>>(a, b, t, into)
            : Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Lerp<T, Simd256<T>>(a, b, t, into)
            : 0;
        for (; i < n; i++) into[i] = a[i] + t * (b[i] - a[i]);
    }

    /// <summary><see cref="Lerp{T}"/> in vectors of <typeparamref name="TV"/>: returns how many elements it wrote (whole vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Lerp<T, TV>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T t, Span<T> into)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : unmanaged, ISimdVector<TV, T>
    {
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T o = ref MemoryMarshal.GetReference(into);
        var vt = TV.Broadcast(t);
        int n = a.Length, w = TV.Count, i = 0;
        for (; i + w <= n; i += w)
            Line<TV, T>(TV.Load(ref Unsafe.Add(ref a0, i)), TV.Load(ref Unsafe.Add(ref b0, i)), vt, far: false).Store(ref Unsafe.Add(ref o, i));
        return i;
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

    /// <summary>x + t (y - x), lane by lane, three roundings; y itself at the far end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Line<TV, T>(TV x, TV y, TV t, bool far) where TV : unmanaged, ISimdVector<TV, T> where T : unmanaged =>
        far ? y : TV.Add(x, TV.Multiply(t, TV.Subtract(y, x)));
}
