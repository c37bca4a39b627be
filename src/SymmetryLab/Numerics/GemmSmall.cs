using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// The matrix product for tiny shapes (a 2-3-1 network, an output layer of one unit, a weight
/// gradient over a few units), where packing and zero-padded tiles would cost more than the arithmetic:
///     C[r, c] := FMA(A[r, p], B[p, c], C[r, c])   for p = 0, 1, ..., k - 1, from C = +0,
/// the same per-element sequence as <see cref="GemmMicroKernel"/>, so the two paths give the same bits.
/// </summary>
/// <remarks>
/// Every element is a chain of FMAs held in a register (never through memory, whose store-to-load
/// latency would double the chain's). To hide the 4-cycle FMA latency several chains run side by
/// side: 4 vectors of a row of C when B's rows are contiguous, else (and for the leftover columns)
/// 2 x 4 scalar chains. Tiles at the edges clamp their indices and compute a repeated chain rather
/// than take another code path; only the valid chains are stored. A vector lane's FMA rounds as the
/// scalar T.FusedMultiplyAdd does, so which of the two an element takes does not matter.
/// </remarks>
internal static class GemmSmall
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a.Data), a.Offset);
        ref T b0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b.Data), b.Offset);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(c);
        int ars = a.RowStride, acs = a.ColumnStride, brs = b.RowStride, bcs = b.ColumnStride;
        int jScalar = j0;
        int width = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && (j1 - j0 < width || bcs != 1) && j1 - j0 <= 4 * width && i1 - i0 >= width)
        {
            // Few columns, many rows (a layer of a few units over a batch): chains a vector of rows
            // at a time, from a small transposed copy of the rows' A.
            i0 = ColumnsOfFewUnits(ref a0, ars, acs, ref b0, brs, bcs, ref c0, ldc, k, i0, i1, j0, j1);
            if (i0 >= i1) return;
        }
        if (bcs == 1 && Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            // Vectors of columns cover [j0, j1) when it holds at least one: the last one overlaps its
            // neighbour, recomputing a few elements (the same chains, so the same bits) instead of
            // leaving them to scalar code.
            int vectorEnd = j1 - j0 >= w ? j1 : j0;
            // Four rows by one vector of columns: four chains side by side; a last group of fewer rows
            // repeats its last row.
            int iv = i0;
            for (; i1 - iv >= 2; iv += 4)
            {
                int r1 = Math.Min(iv + 1, i1 - 1), r2 = Math.Min(iv + 2, i1 - 1), r3 = Math.Min(iv + 3, i1 - 1);
                for (int jj = j0; jj < vectorEnd; jj += w)
                {
                    int j = Math.Min(jj, vectorEnd - w);
                    Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                    ref T a0p = ref Unsafe.Add(ref a0, iv * ars);
                    ref T a1p = ref Unsafe.Add(ref a0, r1 * ars);
                    ref T a2p = ref Unsafe.Add(ref a0, r2 * ars);
                    ref T a3p = ref Unsafe.Add(ref a0, r3 * ars);
                    ref T bp = ref Unsafe.Add(ref b0, j);
                    for (int p = 0; p < k; p++)
                    {
                        var y = Vector.LoadUnsafe(ref bp);
                        s0 = Fma(new Vector<T>(Unsafe.Add(ref a0p, p * acs)), y, s0);
                        s1 = Fma(new Vector<T>(Unsafe.Add(ref a1p, p * acs)), y, s1);
                        s2 = Fma(new Vector<T>(Unsafe.Add(ref a2p, p * acs)), y, s2);
                        s3 = Fma(new Vector<T>(Unsafe.Add(ref a3p, p * acs)), y, s3);
                        bp = ref Unsafe.Add(ref bp, brs);
                    }
                    s0.StoreUnsafe(ref Unsafe.Add(ref c0, iv * ldc + j));
                    if (iv + 1 < i1) s1.StoreUnsafe(ref Unsafe.Add(ref c0, r1 * ldc + j));
                    if (iv + 2 < i1) s2.StoreUnsafe(ref Unsafe.Add(ref c0, r2 * ldc + j));
                    if (iv + 3 < i1) s3.StoreUnsafe(ref Unsafe.Add(ref c0, r3 * ldc + j));
                }
            }
            for (int i = iv; i < i1; i++)
            {
                ref T ai = ref Unsafe.Add(ref a0, i * ars);
                ref T ci = ref Unsafe.Add(ref c0, i * ldc);
                int j = j0;
                for (; j + 4 * w <= vectorEnd; j += 4 * w)
                {
                    Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                    ref T ap = ref ai;
                    ref T bp = ref Unsafe.Add(ref b0, j);
                    for (int p = 0; p < k; p++)
                    {
                        var x = new Vector<T>(ap);
                        s0 = Fma(x, Vector.LoadUnsafe(ref bp), s0);
                        s1 = Fma(x, Vector.LoadUnsafe(ref bp, (nuint)w), s1);
                        s2 = Fma(x, Vector.LoadUnsafe(ref bp, (nuint)(2 * w)), s2);
                        s3 = Fma(x, Vector.LoadUnsafe(ref bp, (nuint)(3 * w)), s3);
                        ap = ref Unsafe.Add(ref ap, acs);
                        bp = ref Unsafe.Add(ref bp, brs);
                    }
                    s0.StoreUnsafe(ref ci, (nuint)j);
                    s1.StoreUnsafe(ref ci, (nuint)(j + w));
                    s2.StoreUnsafe(ref ci, (nuint)(j + 2 * w));
                    s3.StoreUnsafe(ref ci, (nuint)(j + 3 * w));
                }
                for (int jj = j; jj < vectorEnd; jj += w)
                {
                    j = Math.Min(jj, vectorEnd - w);
                    Vector<T> s0 = Vector<T>.Zero;
                    ref T ap = ref ai;
                    ref T bp = ref Unsafe.Add(ref b0, j);
                    for (int p = 0; p < k; p++)
                    {
                        s0 = Fma(new Vector<T>(ap), Vector.LoadUnsafe(ref bp), s0);
                        ap = ref Unsafe.Add(ref ap, acs);
                        bp = ref Unsafe.Add(ref bp, brs);
                    }
                    s0.StoreUnsafe(ref ci, (nuint)j);
                }
            }
            jScalar = vectorEnd;
        }
        if (jScalar >= j1) return;

        // Scalar chains, 2 rows x 4 columns at a time.
        for (int i = i0; i < i1; i += 2)
        {
            int iLast = Math.Min(i + 1, i1 - 1);
            for (int j = jScalar; j < j1; j += 4)
            {
                int q1 = Math.Min(j + 1, j1 - 1), q2 = Math.Min(j + 2, j1 - 1), q3 = Math.Min(j + 3, j1 - 1);
                ref T ra = ref Unsafe.Add(ref a0, i * ars);
                ref T rb = ref Unsafe.Add(ref a0, iLast * ars);
                ref T p0 = ref Unsafe.Add(ref b0, j * bcs);
                ref T p1 = ref Unsafe.Add(ref b0, q1 * bcs);
                ref T p2 = ref Unsafe.Add(ref b0, q2 * bcs);
                ref T p3 = ref Unsafe.Add(ref b0, q3 * bcs);
                T s00 = T.Zero, s01 = T.Zero, s02 = T.Zero, s03 = T.Zero, s10 = T.Zero, s11 = T.Zero, s12 = T.Zero, s13 = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x0 = ra, x1 = rb, y0 = p0, y1 = p1, y2 = p2, y3 = p3;
                    s00 = T.FusedMultiplyAdd(x0, y0, s00); s01 = T.FusedMultiplyAdd(x0, y1, s01);
                    s02 = T.FusedMultiplyAdd(x0, y2, s02); s03 = T.FusedMultiplyAdd(x0, y3, s03);
                    s10 = T.FusedMultiplyAdd(x1, y0, s10); s11 = T.FusedMultiplyAdd(x1, y1, s11);
                    s12 = T.FusedMultiplyAdd(x1, y2, s12); s13 = T.FusedMultiplyAdd(x1, y3, s13);
                    ra = ref Unsafe.Add(ref ra, acs);
                    rb = ref Unsafe.Add(ref rb, acs);
                    p0 = ref Unsafe.Add(ref p0, brs);
                    p1 = ref Unsafe.Add(ref p1, brs);
                    p2 = ref Unsafe.Add(ref p2, brs);
                    p3 = ref Unsafe.Add(ref p3, brs);
                }
                int cols = Math.Min(4, j1 - j);
                ref T row = ref Unsafe.Add(ref c0, i * ldc + j);
                Store(ref row, cols, s00, s01, s02, s03);
                if (i + 1 < i1) Store(ref Unsafe.Add(ref row, ldc), cols, s10, s11, s12, s13);
            }
        }
    }

    /// <summary>Rows [i0, i0 + w * blocks) of C with a vector of w rows per chain; returns the first row left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ColumnsOfFewUnits<T>(ref T a0, int ars, int acs, ref T b0, int brs, int bcs, ref T c0, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        var buffers = GemmBuffers<T>.ForThisThread(Gemm.RowTile, Gemm.ColumnTile<T>());
        if (buffers.Column.Length < w * k) buffers.Column = new T[w * k];
        ref T at = ref MemoryMarshal.GetArrayDataReference(buffers.Column);
        Span<T> lanes = stackalloc T[w];
        ref T l0 = ref MemoryMarshal.GetReference(lanes);
        int i = i0;
        for (; i + w <= i1; i += w)
        {
            // at[p * w + r] = A[i + r, p]
            for (int r = 0; r < w; r++)
            {
                ref T src = ref Unsafe.Add(ref a0, (i + r) * ars);
                for (int p = 0; p < k; p++) Unsafe.Add(ref at, p * w + r) = Unsafe.Add(ref src, p * acs);
            }
            // Four columns side by side (four chains hide the FMA latency); a last group of fewer
            // repeats its last column, computing the same chain twice.
            for (int j = j0; j < j1; j += 4)
            {
                int q1 = Math.Min(j + 1, j1 - 1), q2 = Math.Min(j + 2, j1 - 1), q3 = Math.Min(j + 3, j1 - 1);
                Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                ref T b0j = ref Unsafe.Add(ref b0, j * bcs);
                ref T b1j = ref Unsafe.Add(ref b0, q1 * bcs);
                ref T b2j = ref Unsafe.Add(ref b0, q2 * bcs);
                ref T b3j = ref Unsafe.Add(ref b0, q3 * bcs);
                for (int p = 0; p < k; p++)
                {
                    var x = Vector.LoadUnsafe(ref at, (nuint)(p * w));
                    s0 = Fma(x, new Vector<T>(Unsafe.Add(ref b0j, p * brs)), s0);
                    s1 = Fma(x, new Vector<T>(Unsafe.Add(ref b1j, p * brs)), s1);
                    s2 = Fma(x, new Vector<T>(Unsafe.Add(ref b2j, p * brs)), s2);
                    s3 = Fma(x, new Vector<T>(Unsafe.Add(ref b3j, p * brs)), s3);
                }
                int cols = Math.Min(4, j1 - j);
                StoreColumn(ref Unsafe.Add(ref c0, i * ldc + j), ldc, s0, ref l0);
                if (cols > 1) StoreColumn(ref Unsafe.Add(ref c0, i * ldc + j + 1), ldc, s1, ref l0);
                if (cols > 2) StoreColumn(ref Unsafe.Add(ref c0, i * ldc + j + 2), ldc, s2, ref l0);
                if (cols > 3) StoreColumn(ref Unsafe.Add(ref c0, i * ldc + j + 3), ldc, s3, ref l0);
            }
        }
        return i;
    }

    /// <summary>The lanes of <paramref name="s"/> down a column of C (w rows from <paramref name="top"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumn<T>(ref T top, int ldc, Vector<T> s, ref T lanes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        s.StoreUnsafe(ref lanes);
        for (int r = 0; r < Vector<T>.Count; r++) Unsafe.Add(ref top, r * ldc) = Unsafe.Add(ref lanes, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T row, int cols, T s0, T s1, T s2, T s3)
    {
        row = s0;
        if (cols > 1) Unsafe.Add(ref row, 1) = s1;
        if (cols > 2) Unsafe.Add(ref row, 2) = s2;
        if (cols > 3) Unsafe.Add(ref row, 3) = s3;
    }

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
