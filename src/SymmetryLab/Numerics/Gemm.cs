using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// The one matrix product of the engine: C = A * B^T, every element a dot product of a row of A with
/// a row of B (both contiguous), C[r, c] = sum_k A[r, k] * B[c, k].
/// </summary>
/// <remarks>
/// Forward (z = a_prev W^T), the weight gradient (dW = delta^T a_prev, on transposed copies) and the
/// backward signal (delta W, on W^T) are all this shape. Each element is computed by the same
/// sequence of operations wherever it sits in a tile: vector fused multiply-adds over k in chunks of
/// <c>Vector&lt;T&gt;.Count</c> into one accumulator, a fixed horizontal sum, then scalar fused
/// multiply-adds over the remaining k. So two equal rows of B give bit-equal columns of C (identical
/// units stay identical), and the result does not depend on the thread split. Register tiles of
/// 4 rows of A by 2 rows of B reuse each loaded vector; edge rows fall back to 1-by-1 with the same
/// per-element arithmetic.
/// </remarks>
public static class Gemm
{
    /// <summary>C[r, c] = sum_k A[r, k] B[c, k] for r in [rowStart, rowEnd); A is rowsA x k, B is rowsB x k, C is rowsA x rowsB.</summary>
    public static void MultiplyTransposed<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rowsB, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        int r = rowStart;
        for (; r + 4 <= rowEnd; r += 4)
        {
            int col = 0;
            for (; col + 2 <= rowsB; col += 2)
                Tile4x2(ref a0, ref b0, ref c0, r, col, rowsB, k);
            for (; col < rowsB; col++)
                for (int rr = r; rr < r + 4; rr++)
                    Unsafe.Add(ref c0, rr * rowsB + col) = Dot(ref Unsafe.Add(ref a0, rr * k), ref Unsafe.Add(ref b0, col * k), k);
        }
        for (; r < rowEnd; r++)
            for (int col = 0; col < rowsB; col++)
                Unsafe.Add(ref c0, r * rowsB + col) = Dot(ref Unsafe.Add(ref a0, r * k), ref Unsafe.Add(ref b0, col * k), k);
    }

    /// <summary>sum_k x[k] y[k] with the same order of operations as every element of the tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot<T>(ref T x, ref T y, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && k >= width)
        {
            var acc = Vector<T>.Zero;
            for (; i + width <= k; i += width)
                acc = Fma(Vector.LoadUnsafe(ref x, (nuint)i), Vector.LoadUnsafe(ref y, (nuint)i), acc);
            sum = Vector.Sum(acc);
        }
        for (; i < k; i++)
            sum = T.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i), sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x2<T>(ref T a0, ref T b0, ref T c0, int r, int col, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T ra0 = ref Unsafe.Add(ref a0, r * k);
        ref T ra1 = ref Unsafe.Add(ref a0, (r + 1) * k);
        ref T ra2 = ref Unsafe.Add(ref a0, (r + 2) * k);
        ref T ra3 = ref Unsafe.Add(ref a0, (r + 3) * k);
        ref T rb0 = ref Unsafe.Add(ref b0, col * k);
        ref T rb1 = ref Unsafe.Add(ref b0, (col + 1) * k);
        int width = Vector<T>.Count;
        int i = 0;
        T s00 = T.Zero, s01 = T.Zero, s10 = T.Zero, s11 = T.Zero, s20 = T.Zero, s21 = T.Zero, s30 = T.Zero, s31 = T.Zero;
        if (Vector.IsHardwareAccelerated && k >= width)
        {
            Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            for (; i + width <= k; i += width)
            {
                var vb0 = Vector.LoadUnsafe(ref rb0, (nuint)i);
                var vb1 = Vector.LoadUnsafe(ref rb1, (nuint)i);
                var va = Vector.LoadUnsafe(ref ra0, (nuint)i);
                c00 = Fma(va, vb0, c00);
                c01 = Fma(va, vb1, c01);
                va = Vector.LoadUnsafe(ref ra1, (nuint)i);
                c10 = Fma(va, vb0, c10);
                c11 = Fma(va, vb1, c11);
                va = Vector.LoadUnsafe(ref ra2, (nuint)i);
                c20 = Fma(va, vb0, c20);
                c21 = Fma(va, vb1, c21);
                va = Vector.LoadUnsafe(ref ra3, (nuint)i);
                c30 = Fma(va, vb0, c30);
                c31 = Fma(va, vb1, c31);
            }
            s00 = Vector.Sum(c00); s01 = Vector.Sum(c01);
            s10 = Vector.Sum(c10); s11 = Vector.Sum(c11);
            s20 = Vector.Sum(c20); s21 = Vector.Sum(c21);
            s30 = Vector.Sum(c30); s31 = Vector.Sum(c31);
        }
        for (; i < k; i++)
        {
            T b0i = Unsafe.Add(ref rb0, i), b1i = Unsafe.Add(ref rb1, i);
            T x = Unsafe.Add(ref ra0, i);
            s00 = T.FusedMultiplyAdd(x, b0i, s00); s01 = T.FusedMultiplyAdd(x, b1i, s01);
            x = Unsafe.Add(ref ra1, i);
            s10 = T.FusedMultiplyAdd(x, b0i, s10); s11 = T.FusedMultiplyAdd(x, b1i, s11);
            x = Unsafe.Add(ref ra2, i);
            s20 = T.FusedMultiplyAdd(x, b0i, s20); s21 = T.FusedMultiplyAdd(x, b1i, s21);
            x = Unsafe.Add(ref ra3, i);
            s30 = T.FusedMultiplyAdd(x, b0i, s30); s31 = T.FusedMultiplyAdd(x, b1i, s31);
        }
        Unsafe.Add(ref c0, r * n + col) = s00; Unsafe.Add(ref c0, r * n + col + 1) = s01;
        Unsafe.Add(ref c0, (r + 1) * n + col) = s10; Unsafe.Add(ref c0, (r + 1) * n + col + 1) = s11;
        Unsafe.Add(ref c0, (r + 2) * n + col) = s20; Unsafe.Add(ref c0, (r + 2) * n + col + 1) = s21;
        Unsafe.Add(ref c0, (r + 3) * n + col) = s30; Unsafe.Add(ref c0, (r + 3) * n + col + 1) = s31;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>dst (cols x rows) = src (rows x cols) transposed.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> src, Span<T> dst, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = src.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) dst[c * rows + r] = row[c];
        }
    }
}
