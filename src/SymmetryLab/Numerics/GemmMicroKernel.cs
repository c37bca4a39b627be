using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// The register tile of the blocked matrix product: a block of <see cref="Rows{T, TV}"/> rows x (2 vectors)
/// of C updated from packed panels of A and B over a slice of k,
///     C[r, c] := FMA(A[r, p], B[p, c], C[r, c])   for p = 0, 1, ..., kc - 1 in that order,
/// one rounding per step (IEEE fusedMultiplyAdd), starting from C (or from +0 on the first slice).
/// </summary>
/// <remarks>
/// Why this shape: each step loads 2 vectors of B and broadcasts one scalar of A per row into
/// 2 accumulators per row, enough independent chains to keep both FMA ports busy through the FMA
/// latency, with every accumulator in a register. With 512-bit vectors (32 registers) that is 8 rows:
/// 16 accumulators, 2 of B, 1 broadcast. With 256-bit vectors there are only 16 registers, so 6 rows:
/// 12 accumulators, 2 of B, 1 broadcast. (8 rows there need 19: the JIT kept 3 accumulators on the
/// stack and loaded and stored them every step, and the tile ran at half the cores' FMA rate.)
/// Why it is deterministic: every element of C sees exactly the sequence above, lane by lane, and a
/// vector lane's FMA rounds as the scalar T.FusedMultiplyAdd does. Nothing depends on where the
/// element sits in the tile, on the tile's shape or place in C, on the k-slicing (C is stored and
/// reloaded in T, which is exact) or on the thread that computes it. <see cref="GemmSmall"/> follows
/// the same sequence, so both paths give the same bits.
/// Packed layouts (see <see cref="GemmPacking"/>): A panel a[p * mr + r], B panel b[p * 2w + c],
/// mr = <see cref="Rows{T, TV}"/>, w = <c>TV.Count</c>; zero-padded past the matrix edges.
/// </remarks>
internal static class GemmMicroKernel
{
    /// <summary>Rows of C per register tile (MR): 8 with 512-bit vectors, 6 with 256-bit ones (see above).</summary>
    public static int Rows<T, TV>() where T : unmanaged => typeof(TV) == typeof(Simd512<T>) ? 8 : 6;

    /// <summary>Columns of C per register tile (NR): two vectors.</summary>
    public static int Columns<T, TV>() where T : unmanaged where TV : unmanaged, ISimdVector<TV, T> => 2 * TV.Count;

    /// <summary>
    /// C[r, c] for r &lt; <see cref="Rows{T, TV}"/>, c &lt; 2w, at <paramref name="c"/> with row stride <paramref name="ldc"/>:
    /// accumulates onto the stored C when <paramref name="accumulate"/>, else starts from zero.
    /// </summary>
    /// <remarks>
    /// The tile itself is compiled once, on its own and fully optimized: inlined into its caller at each
    /// of its two call sites (whole tiles and edge tiles), the second copy ran past the JIT's inlining
    /// budget and its FMAs became calls, making products with a partial tile (a 25- or
    /// 10-unit layer) 5 to 40 times slower. A call per tile costs nothing against its kc steps.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TV>(ref T a, ref T b, ref T c, int ldc, int kc, bool accumulate)
        where T : unmanaged where TV : unmanaged, ISimdVector<TV, T>
    {
        // On the bare vector types: see BareVector.
        if (typeof(TV) == typeof(Simd512<T>)) Tile8<T, Vector512<T>>(ref a, ref b, ref c, ldc, kc, accumulate);
        else Tile6<T, Vector256<T>>(ref a, ref b, ref c, ldc, kc, accumulate);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile8<T, TB>(ref T a, ref T b, ref T c, int ldc, int kc, bool accumulate)
        where T : unmanaged where TB : struct
    {
        int w = BareVector.Count<TB, T>();
        ref T c0 = ref c;
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref T c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref T c5 = ref Unsafe.Add(ref c, 5 * ldc);
        ref T c6 = ref Unsafe.Add(ref c, 6 * ldc);
        ref T c7 = ref Unsafe.Add(ref c, 7 * ldc);
        TB s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        TB s40 = default, s41 = default, s50 = default, s51 = default, s60 = default, s61 = default, s70 = default, s71 = default;
        if (accumulate)
        {
            s00 = BareVector.Load<TB, T>(ref c0); s01 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c0, w));
            s10 = BareVector.Load<TB, T>(ref c1); s11 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c1, w));
            s20 = BareVector.Load<TB, T>(ref c2); s21 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c2, w));
            s30 = BareVector.Load<TB, T>(ref c3); s31 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c3, w));
            s40 = BareVector.Load<TB, T>(ref c4); s41 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c4, w));
            s50 = BareVector.Load<TB, T>(ref c5); s51 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c5, w));
            s60 = BareVector.Load<TB, T>(ref c6); s61 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c6, w));
            s70 = BareVector.Load<TB, T>(ref c7); s71 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c7, w));
        }
        for (int p = 0; p < kc; p++)
        {
            TB b0 = BareVector.Load<TB, T>(ref b);
            TB b1 = BareVector.Load<TB, T>(ref Unsafe.Add(ref b, w));
            TB x = BareVector.Broadcast<TB, T>(a);
            s00 = BareVector.MultiplyAdd<TB, T>(x, b0, s00); s01 = BareVector.MultiplyAdd<TB, T>(x, b1, s01);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 1));
            s10 = BareVector.MultiplyAdd<TB, T>(x, b0, s10); s11 = BareVector.MultiplyAdd<TB, T>(x, b1, s11);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 2));
            s20 = BareVector.MultiplyAdd<TB, T>(x, b0, s20); s21 = BareVector.MultiplyAdd<TB, T>(x, b1, s21);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 3));
            s30 = BareVector.MultiplyAdd<TB, T>(x, b0, s30); s31 = BareVector.MultiplyAdd<TB, T>(x, b1, s31);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 4));
            s40 = BareVector.MultiplyAdd<TB, T>(x, b0, s40); s41 = BareVector.MultiplyAdd<TB, T>(x, b1, s41);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 5));
            s50 = BareVector.MultiplyAdd<TB, T>(x, b0, s50); s51 = BareVector.MultiplyAdd<TB, T>(x, b1, s51);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 6));
            s60 = BareVector.MultiplyAdd<TB, T>(x, b0, s60); s61 = BareVector.MultiplyAdd<TB, T>(x, b1, s61);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 7));
            s70 = BareVector.MultiplyAdd<TB, T>(x, b0, s70); s71 = BareVector.MultiplyAdd<TB, T>(x, b1, s71);
            a = ref Unsafe.Add(ref a, 8);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        BareVector.Store(s00, ref c0); BareVector.Store(s01, ref Unsafe.Add(ref c0, w));
        BareVector.Store(s10, ref c1); BareVector.Store(s11, ref Unsafe.Add(ref c1, w));
        BareVector.Store(s20, ref c2); BareVector.Store(s21, ref Unsafe.Add(ref c2, w));
        BareVector.Store(s30, ref c3); BareVector.Store(s31, ref Unsafe.Add(ref c3, w));
        BareVector.Store(s40, ref c4); BareVector.Store(s41, ref Unsafe.Add(ref c4, w));
        BareVector.Store(s50, ref c5); BareVector.Store(s51, ref Unsafe.Add(ref c5, w));
        BareVector.Store(s60, ref c6); BareVector.Store(s61, ref Unsafe.Add(ref c6, w));
        BareVector.Store(s70, ref c7); BareVector.Store(s71, ref Unsafe.Add(ref c7, w));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile6<T, TB>(ref T a, ref T b, ref T c, int ldc, int kc, bool accumulate)
        where T : unmanaged where TB : struct
    {
        int w = BareVector.Count<TB, T>();
        ref T c0 = ref c;
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref T c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref T c5 = ref Unsafe.Add(ref c, 5 * ldc);
        TB s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        TB s40 = default, s41 = default, s50 = default, s51 = default;
        if (accumulate)
        {
            s00 = BareVector.Load<TB, T>(ref c0); s01 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c0, w));
            s10 = BareVector.Load<TB, T>(ref c1); s11 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c1, w));
            s20 = BareVector.Load<TB, T>(ref c2); s21 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c2, w));
            s30 = BareVector.Load<TB, T>(ref c3); s31 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c3, w));
            s40 = BareVector.Load<TB, T>(ref c4); s41 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c4, w));
            s50 = BareVector.Load<TB, T>(ref c5); s51 = BareVector.Load<TB, T>(ref Unsafe.Add(ref c5, w));
        }
        for (int p = 0; p < kc; p++)
        {
            TB b0 = BareVector.Load<TB, T>(ref b);
            TB b1 = BareVector.Load<TB, T>(ref Unsafe.Add(ref b, w));
            TB x = BareVector.Broadcast<TB, T>(a);
            s00 = BareVector.MultiplyAdd<TB, T>(x, b0, s00); s01 = BareVector.MultiplyAdd<TB, T>(x, b1, s01);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 1));
            s10 = BareVector.MultiplyAdd<TB, T>(x, b0, s10); s11 = BareVector.MultiplyAdd<TB, T>(x, b1, s11);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 2));
            s20 = BareVector.MultiplyAdd<TB, T>(x, b0, s20); s21 = BareVector.MultiplyAdd<TB, T>(x, b1, s21);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 3));
            s30 = BareVector.MultiplyAdd<TB, T>(x, b0, s30); s31 = BareVector.MultiplyAdd<TB, T>(x, b1, s31);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 4));
            s40 = BareVector.MultiplyAdd<TB, T>(x, b0, s40); s41 = BareVector.MultiplyAdd<TB, T>(x, b1, s41);
            x = BareVector.Broadcast<TB, T>(Unsafe.Add(ref a, 5));
            s50 = BareVector.MultiplyAdd<TB, T>(x, b0, s50); s51 = BareVector.MultiplyAdd<TB, T>(x, b1, s51);
            a = ref Unsafe.Add(ref a, 6);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        BareVector.Store(s00, ref c0); BareVector.Store(s01, ref Unsafe.Add(ref c0, w));
        BareVector.Store(s10, ref c1); BareVector.Store(s11, ref Unsafe.Add(ref c1, w));
        BareVector.Store(s20, ref c2); BareVector.Store(s21, ref Unsafe.Add(ref c2, w));
        BareVector.Store(s30, ref c3); BareVector.Store(s31, ref Unsafe.Add(ref c3, w));
        BareVector.Store(s40, ref c4); BareVector.Store(s41, ref Unsafe.Add(ref c4, w));
        BareVector.Store(s50, ref c5); BareVector.Store(s51, ref Unsafe.Add(ref c5, w));
    }
}
