using System.Runtime.CompilerServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// The register tile of the blocked matrix product: an <see cref="Rows"/> x (2 vectors) block of C
/// updated from packed panels of A and B over a slice of k,
///     C[r, c] := FMA(A[r, p], B[p, c], C[r, c])   for p = 0, 1, ..., kc - 1 in that order,
/// one rounding per step (IEEE fusedMultiplyAdd), starting from C (or from +0 on the first slice).
/// </summary>
/// <remarks>
/// Why this shape: each step loads 2 vectors of B and broadcasts <see cref="Rows"/> scalars of A
/// into 2 x <see cref="Rows"/> independent accumulators (16 with 8 rows), enough to keep both FMA
/// ports busy through the 4-cycle FMA latency while staying within 32 vector registers.
/// Why it is deterministic: every element of C sees exactly the sequence above, lane by lane, and a
/// vector lane's FMA rounds as the scalar T.FusedMultiplyAdd does. Nothing depends on where the
/// element sits in the tile, on the tile's place in C, on the k-slicing (C is stored and reloaded in
/// T, which is exact) or on the thread that computes it. <see cref="GemmSmall"/> follows the same
/// sequence, so both paths give the same bits.
/// Packed layouts (see <see cref="GemmPacking"/>): A panel a[p * Rows + r], B panel b[p * 2w + c],
/// w = <c>TV.Count</c>; zero-padded past the matrix edges.
/// </remarks>
internal static class GemmMicroKernel
{
    /// <summary>Rows of C per register tile (MR).</summary>
    public const int Rows = 8;

    /// <summary>Columns of C per register tile (NR): two vectors.</summary>
    public static int Columns<T, TV>() where T : unmanaged where TV : unmanaged, ISimdVector<TV, T> => 2 * TV.Count;

    /// <summary>
    /// C[r, c] for r &lt; <see cref="Rows"/>, c &lt; 2w, at <paramref name="c"/> with row stride <paramref name="ldc"/>:
    /// accumulates onto the stored C when <paramref name="accumulate"/>, else starts from zero.
    /// </summary>
    /// <remarks>
    /// Compiled once, on its own and fully optimized: inlined into its caller at each of its two call
    /// sites (whole tiles and edge tiles), the second copy ran past the JIT's inlining budget and its
    /// 16 FMAs per step became calls, making products with a partial tile (a 25- or 10-unit layer)
    /// 5 to 40 times slower. A call per tile costs nothing against its kc steps.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TV>(ref T a, ref T b, ref T c, int ldc, int kc, bool accumulate)
        where T : unmanaged where TV : unmanaged, ISimdVector<TV, T>
    {
        int w = TV.Count;
        ref T c0 = ref c;
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref T c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref T c5 = ref Unsafe.Add(ref c, 5 * ldc);
        ref T c6 = ref Unsafe.Add(ref c, 6 * ldc);
        ref T c7 = ref Unsafe.Add(ref c, 7 * ldc);
        TV s00 = TV.Zero, s01 = TV.Zero, s10 = TV.Zero, s11 = TV.Zero, s20 = TV.Zero, s21 = TV.Zero, s30 = TV.Zero, s31 = TV.Zero;
        TV s40 = TV.Zero, s41 = TV.Zero, s50 = TV.Zero, s51 = TV.Zero, s60 = TV.Zero, s61 = TV.Zero, s70 = TV.Zero, s71 = TV.Zero;
        if (accumulate)
        {
            s00 = TV.Load(ref c0); s01 = TV.Load(ref Unsafe.Add(ref c0, w));
            s10 = TV.Load(ref c1); s11 = TV.Load(ref Unsafe.Add(ref c1, w));
            s20 = TV.Load(ref c2); s21 = TV.Load(ref Unsafe.Add(ref c2, w));
            s30 = TV.Load(ref c3); s31 = TV.Load(ref Unsafe.Add(ref c3, w));
            s40 = TV.Load(ref c4); s41 = TV.Load(ref Unsafe.Add(ref c4, w));
            s50 = TV.Load(ref c5); s51 = TV.Load(ref Unsafe.Add(ref c5, w));
            s60 = TV.Load(ref c6); s61 = TV.Load(ref Unsafe.Add(ref c6, w));
            s70 = TV.Load(ref c7); s71 = TV.Load(ref Unsafe.Add(ref c7, w));
        }
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TV.Load(ref b);
            TV b1 = TV.Load(ref Unsafe.Add(ref b, w));
            TV x = TV.Broadcast(a);
            s00 = TV.MultiplyAdd(x, b0, s00); s01 = TV.MultiplyAdd(x, b1, s01);
            x = TV.Broadcast(Unsafe.Add(ref a, 1));
            s10 = TV.MultiplyAdd(x, b0, s10); s11 = TV.MultiplyAdd(x, b1, s11);
            x = TV.Broadcast(Unsafe.Add(ref a, 2));
            s20 = TV.MultiplyAdd(x, b0, s20); s21 = TV.MultiplyAdd(x, b1, s21);
            x = TV.Broadcast(Unsafe.Add(ref a, 3));
            s30 = TV.MultiplyAdd(x, b0, s30); s31 = TV.MultiplyAdd(x, b1, s31);
            x = TV.Broadcast(Unsafe.Add(ref a, 4));
            s40 = TV.MultiplyAdd(x, b0, s40); s41 = TV.MultiplyAdd(x, b1, s41);
            x = TV.Broadcast(Unsafe.Add(ref a, 5));
            s50 = TV.MultiplyAdd(x, b0, s50); s51 = TV.MultiplyAdd(x, b1, s51);
            x = TV.Broadcast(Unsafe.Add(ref a, 6));
            s60 = TV.MultiplyAdd(x, b0, s60); s61 = TV.MultiplyAdd(x, b1, s61);
            x = TV.Broadcast(Unsafe.Add(ref a, 7));
            s70 = TV.MultiplyAdd(x, b0, s70); s71 = TV.MultiplyAdd(x, b1, s71);
            a = ref Unsafe.Add(ref a, Rows);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        s00.Store(ref c0); s01.Store(ref Unsafe.Add(ref c0, w));
        s10.Store(ref c1); s11.Store(ref Unsafe.Add(ref c1, w));
        s20.Store(ref c2); s21.Store(ref Unsafe.Add(ref c2, w));
        s30.Store(ref c3); s31.Store(ref Unsafe.Add(ref c3, w));
        s40.Store(ref c4); s41.Store(ref Unsafe.Add(ref c4, w));
        s50.Store(ref c5); s51.Store(ref Unsafe.Add(ref c5, w));
        s60.Store(ref c6); s61.Store(ref Unsafe.Add(ref c6, w));
        s70.Store(ref c7); s71.Store(ref Unsafe.Add(ref c7, w));
    }
}
