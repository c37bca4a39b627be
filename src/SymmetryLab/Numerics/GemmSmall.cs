using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// The matrix product without packing, for shapes where packing and zero-padded tiles would cost more
/// than the arithmetic (a 2-3-1 network, an output layer of a few units, a weight gradient over a
/// minibatch of 32, a 25-unit layer's W^T):
///     C[r, c] := FMA(A[r, p], B[p, c], C[r, c])   for p = 0, 1, ..., k - 1, from C = +0,
/// the same per-element sequence as <see cref="GemmMicroKernel"/>, so the two paths give the same bits.
/// </summary>
/// <remarks>
/// Every element is a chain of FMAs held in a register (never through memory, whose store-to-load
/// latency would double the chain's), several chains side by side to hide the 4-cycle FMA latency:
/// vectors of columns (four rows by two vectors) when B's rows are contiguous, or when B is read
/// through strides and is one or two vectors wide (those columns of B copied side by side first),
/// else vectors of rows of C (two blocks of rows by four columns) when C has few columns or B is read
/// through strides, else 2 x 4 scalar chains. Tiles at the edges clamp their indices and compute a repeated chain
/// rather than take another code path; only the valid chains are stored. A vector lane's FMA rounds
/// as the scalar T.FusedMultiplyAdd does, so which of them an element takes does not matter.
/// </remarks>
internal static class GemmSmall
{
    /// <summary>Elements of T per vector in these kernels: 512-bit vectors where the hardware has them.</summary>
    public static int Width<T>() where T : unmanaged => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;

    public static void Run<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // On the bare vector types (see BareVector): through a wrapper struct the JIT adds moves around the FMAs.
        if (Vector512.IsHardwareAccelerated) Run<T, Vector512<T>>(a, b, c, ldc, k, i0, i1, j0, j1);
        else Run<T, Vector256<T>>(a, b, c, ldc, k, i0, i1, j0, j1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TV>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct
    {
        ref T a0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a.Data), a.Offset);
        ref T b0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b.Data), b.Offset);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(c);
        int ars = a.RowStride, acs = a.ColumnStride, brs = b.RowStride, bcs = b.ColumnStride;
        int w = BareVector.Count<TV, T>();
        if (bcs != 1 && j1 - j0 >= w && j1 - j0 <= 2 * w && i1 - i0 >= 4 * w)
        {
            // One or two vectors of units read through strides (an output layer's W^T) over many rows: their
            // columns of B copied side by side (k x n, a few KiB) make rows of C vectors of columns, with
            // no transposed copy of A's rows, which cost more than the arithmetic (AVX2, 1024 x 512 rows
            // by 10 units: 0.37 ms against 0.63; 128 rows: 0.05 against 0.11; the same chains, so the same bits).
            int n = j1 - j0;
            ref T bt = ref MemoryMarshal.GetArrayDataReference(GemmBuffers<T>.ColumnBuffer(k * n));
            for (int col = 0; col < n; col++)
            {
                ref T column = ref Unsafe.Add(ref b0, (j0 + col) * bcs);
                for (int p = 0; p < k; p++) Unsafe.Add(ref bt, p * n + col) = Unsafe.Add(ref column, p * brs);
            }
            RowVectors<T, TV>(ref a0, ars, acs, ref bt, n, ref Unsafe.Add(ref c0, j0), ldc, k, i0, i1, 0, n);
            return;
        }
        if ((j1 - j0 < w || bcs != 1) && j1 - j0 <= 4 * w && i1 - i0 >= w)
        {
            // Few columns, many rows (a layer of a few units over a batch): chains a vector of rows
            // at a time, from a small transposed copy of the rows' A.
            i0 = ColumnsOfFewUnits<T, TV>(ref a0, ars, acs, ref b0, brs, bcs, ref c0, ldc, k, i0, i1, j0, j1);
            if (i0 >= i1) return;
        }
        if (bcs == 1 && j1 - j0 >= w)
            RowVectors<T, TV>(ref a0, ars, acs, ref b0, brs, ref c0, ldc, k, i0, i1, j0, j1);
        else
            ScalarTiles(ref a0, ars, acs, ref b0, brs, bcs, ref c0, ldc, k, i0, i1, j0, j1);
    }

    /// <summary>
    /// Rows of B contiguous and at least a vector wide: vectors of columns of C, four rows by two vectors
    /// at a time (eight chains side by side hide the FMA latency). The last vector overlaps its
    /// neighbour, recomputing a few elements (the same chains, so the same bits), and a last group of
    /// fewer rows repeats its last row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowVectors<T, TV>(ref T a0, int ars, int acs, ref T b0, int brs, ref T c0, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct
    {
        int w = BareVector.Count<TV, T>();
        for (int i = i0; i < i1; i += 4)
        {
            int r1 = Math.Min(i + 1, i1 - 1), r2 = Math.Min(i + 2, i1 - 1), r3 = Math.Min(i + 3, i1 - 1);
            ref T a0p = ref Unsafe.Add(ref a0, i * ars);
            ref T a1p = ref Unsafe.Add(ref a0, r1 * ars);
            ref T a2p = ref Unsafe.Add(ref a0, r2 * ars);
            ref T a3p = ref Unsafe.Add(ref a0, r3 * ars);
            for (int jj = j0; jj < j1; jj += 2 * w)
            {
                // Two vectors of columns (the second may overlap the first when fewer remain).
                int ja = Math.Min(jj, j1 - w), jb = Math.Min(jj + w, j1 - w);
                TV s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
                ref T bpa = ref Unsafe.Add(ref b0, ja);
                ref T bpb = ref Unsafe.Add(ref b0, jb);
                for (int p = 0; p < k; p++)
                {
                    var ya = BareVector.Load<TV, T>(ref Unsafe.Add(ref bpa, p * brs));
                    var yb = BareVector.Load<TV, T>(ref Unsafe.Add(ref bpb, p * brs));
                    var x0 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref a0p, p * acs));
                    var x1 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref a1p, p * acs));
                    var x2 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref a2p, p * acs));
                    var x3 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref a3p, p * acs));
                    s0 = BareVector.MultiplyAdd<TV, T>(x0, ya, s0); t0 = BareVector.MultiplyAdd<TV, T>(x0, yb, t0);
                    s1 = BareVector.MultiplyAdd<TV, T>(x1, ya, s1); t1 = BareVector.MultiplyAdd<TV, T>(x1, yb, t1);
                    s2 = BareVector.MultiplyAdd<TV, T>(x2, ya, s2); t2 = BareVector.MultiplyAdd<TV, T>(x2, yb, t2);
                    s3 = BareVector.MultiplyAdd<TV, T>(x3, ya, s3); t3 = BareVector.MultiplyAdd<TV, T>(x3, yb, t3);
                }
                BareVector.Store(s0, ref Unsafe.Add(ref c0, i * ldc + ja)); BareVector.Store(t0, ref Unsafe.Add(ref c0, i * ldc + jb));
                if (i + 1 < i1) { BareVector.Store(s1, ref Unsafe.Add(ref c0, r1 * ldc + ja)); BareVector.Store(t1, ref Unsafe.Add(ref c0, r1 * ldc + jb)); }
                if (i + 2 < i1) { BareVector.Store(s2, ref Unsafe.Add(ref c0, r2 * ldc + ja)); BareVector.Store(t2, ref Unsafe.Add(ref c0, r2 * ldc + jb)); }
                if (i + 3 < i1) { BareVector.Store(s3, ref Unsafe.Add(ref c0, r3 * ldc + ja)); BareVector.Store(t3, ref Unsafe.Add(ref c0, r3 * ldc + jb)); }
            }
        }
    }

    /// <summary>Scalar chains, 2 rows x 4 columns at a time (a last group repeats its last row or column).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarTiles<T>(ref T a0, int ars, int acs, ref T b0, int brs, int bcs, ref T c0, int ldc, int k, int i0, int i1, int jScalar, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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


    /// <summary>
    /// Rows of C with a vector of w rows per chain, from a transposed copy of those rows of A; returns
    /// the first row left (fewer than w remain). Two blocks of rows by four columns at a time (eight
    /// chains side by side); when fewer than two blocks remain, the second overlaps the first, and a
    /// last group of fewer columns repeats its last column: repeated chains give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ColumnsOfFewUnits<T, TV>(ref T a0, int ars, int acs, ref T b0, int brs, int bcs, ref T c0, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct
    {
        int w = BareVector.Count<TV, T>();
        ref T at = ref MemoryMarshal.GetArrayDataReference(GemmBuffers<T>.ColumnBuffer(2 * w * k));
        ref T at2 = ref Unsafe.Add(ref at, w * k);
        Span<T> lanes = stackalloc T[w];
        ref T l0 = ref MemoryMarshal.GetReference(lanes);
        int i = i0;
        while (i + w <= i1)
        {
            int i2 = Math.Min(i + w, i1 - w);
            Transpose<T, TV>(ref Unsafe.Add(ref a0, i * ars), ars, acs, k, ref at);
            Transpose<T, TV>(ref Unsafe.Add(ref a0, i2 * ars), ars, acs, k, ref at2);
            for (int j = j0; j < j1; j += 4)
            {
                int q1 = Math.Min(j + 1, j1 - 1), q2 = Math.Min(j + 2, j1 - 1), q3 = Math.Min(j + 3, j1 - 1);
                TV s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
                ref T b0j = ref Unsafe.Add(ref b0, j * bcs);
                ref T b1j = ref Unsafe.Add(ref b0, q1 * bcs);
                ref T b2j = ref Unsafe.Add(ref b0, q2 * bcs);
                ref T b3j = ref Unsafe.Add(ref b0, q3 * bcs);
                for (int p = 0; p < k; p++)
                {
                    var x = BareVector.Load<TV, T>(ref Unsafe.Add(ref at, p * w));
                    var y = BareVector.Load<TV, T>(ref Unsafe.Add(ref at2, p * w));
                    var v0 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref b0j, p * brs));
                    var v1 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref b1j, p * brs));
                    var v2 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref b2j, p * brs));
                    var v3 = BareVector.Broadcast<TV, T>(Unsafe.Add(ref b3j, p * brs));
                    s0 = BareVector.MultiplyAdd<TV, T>(x, v0, s0); t0 = BareVector.MultiplyAdd<TV, T>(y, v0, t0);
                    s1 = BareVector.MultiplyAdd<TV, T>(x, v1, s1); t1 = BareVector.MultiplyAdd<TV, T>(y, v1, t1);
                    s2 = BareVector.MultiplyAdd<TV, T>(x, v2, s2); t2 = BareVector.MultiplyAdd<TV, T>(y, v2, t2);
                    s3 = BareVector.MultiplyAdd<TV, T>(x, v3, s3); t3 = BareVector.MultiplyAdd<TV, T>(y, v3, t3);
                }
                int cols = Math.Min(4, j1 - j);
                ref T top = ref Unsafe.Add(ref c0, i * ldc + j);
                ref T bottom = ref Unsafe.Add(ref c0, i2 * ldc + j);
                StoreColumn(ref top, ldc, s0, ref l0); StoreColumn(ref bottom, ldc, t0, ref l0);
                if (cols > 1) { StoreColumn(ref Unsafe.Add(ref top, 1), ldc, s1, ref l0); StoreColumn(ref Unsafe.Add(ref bottom, 1), ldc, t1, ref l0); }
                if (cols > 2) { StoreColumn(ref Unsafe.Add(ref top, 2), ldc, s2, ref l0); StoreColumn(ref Unsafe.Add(ref bottom, 2), ldc, t2, ref l0); }
                if (cols > 3) { StoreColumn(ref Unsafe.Add(ref top, 3), ldc, s3, ref l0); StoreColumn(ref Unsafe.Add(ref bottom, 3), ldc, t3, ref l0); }
            }
            i = i2 + w;
        }
        return i;
    }

    /// <summary>at[p * w + r] = A[r, p] for w rows of A from <paramref name="a"/>: 8 x 8 (4 x 4) blocks with AVX shuffles when A is row-major.</summary>
    private static void Transpose<T, TV>(ref T a, int ars, int acs, int k, ref T at)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct
    {
        int w = BareVector.Count<TV, T>(), p = 0, t = BlockTranspose.Size<T>();
        if (acs == 1 && w % t == 0 && BlockTranspose.IsSupported<T>())
            for (; p + t <= k; p += t)
                for (int r = 0; r < w; r += t)
                    BlockTranspose.Run(ref Unsafe.Add(ref a, r * ars + p), ars, ref Unsafe.Add(ref at, p * w + r), w);
        for (int r = 0; r < w; r++)
        {
            ref T src = ref Unsafe.Add(ref a, r * ars);
            for (int q = p; q < k; q++) Unsafe.Add(ref at, q * w + r) = Unsafe.Add(ref src, q * acs);
        }
    }

    /// <summary>The lanes of <paramref name="s"/> down a column of C (w rows from <paramref name="top"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumn<T, TV>(ref T top, int ldc, TV s, ref T lanes)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct
    {
        BareVector.Store(s, ref lanes);
        for (int r = 0; r < BareVector.Count<TV, T>(); r++) Unsafe.Add(ref top, r * ldc) = Unsafe.Add(ref lanes, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T row, int cols, T s0, T s1, T s2, T s3)
    {
        row = s0;
        if (cols > 1) Unsafe.Add(ref row, 1) = s1;
        if (cols > 2) Unsafe.Add(ref row, 2) = s2;
        if (cols > 3) Unsafe.Add(ref row, 3) = s3;
    }
}
