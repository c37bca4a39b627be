using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// Copies blocks of the operands of C = A B into the contiguous panels that
/// <see cref="GemmMicroKernel"/> reads: A in panels of <c>mr</c> rows (a[p * mr + r] per panel), B in
/// panels of <c>nr</c> columns (b[p * nr + c] per panel), zero-padded past the block's edge.
/// </summary>
/// <remarks>
/// Packing costs one read and one write per element of a block, against mr (or nr) multiply-adds per
/// element in the kernel, and it turns any stride (transposed weights, delta^T) into unit-stride
/// loads; it is why the engine needs no transposed copies. It moves values and never rounds.
/// The read order follows whichever stride of the source is 1.
/// </remarks>
internal static class GemmPacking
{
    /// <summary>Rows [i0, i0 + mc) and k in [p0, p0 + kc) of A into ceil(mc / mr) panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(MatrixRef<T> a, int i0, int mc, int p0, int kc, int mr, Span<T> dst) where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetArrayDataReference(a.Data);
        ref T d = ref MemoryMarshal.GetReference(dst);
        int rs = a.RowStride, cs = a.ColumnStride;
        int whole = 0;
        int run = mr * Unsafe.SizeOf<T>();
        if (rs == 1 && mc >= mr && IsRun(run))
        {
            // A's columns are contiguous (A = delta^T): for each p, the block's column is one run of mc
            // values, read front to back and dealt out mr at a time to the whole panels. (Panel by panel,
            // each step of p read a new cache line a column's stride away, and each line once per panel:
            // 0.8-1.3 ns a float against 0.4-0.6 now, 1.7 ns a double against 1.05.) The last, partial
            // panel goes below.
            whole = mc / mr * mr;
            for (int p = 0; p < kc; p++)
            {
                ref byte s = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref src, a.Offset + i0 + (p0 + p) * cs));
                ref byte o = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref d, p * mr));
                for (int ip = 0; ip < whole; ip += mr)
                    CopyRun(ref Unsafe.Add(ref s, ip * Unsafe.SizeOf<T>()), ref Unsafe.Add(ref o, ip * kc * Unsafe.SizeOf<T>()), run);
            }
        }
        for (int ip = whole; ip < mc; ip += mr)
        {
            ref T panel = ref Unsafe.Add(ref d, ip * kc);
            int rows = Math.Min(mr, mc - ip);
            if (rs == 1)
            {
                // A's columns are contiguous (A = delta^T): each p is a run of rows.
                for (int p = 0; p < kc; p++)
                {
                    ref T s = ref Unsafe.Add(ref src, a.Offset + (i0 + ip) + (p0 + p) * cs);
                    ref T o = ref Unsafe.Add(ref panel, p * mr);
                    for (int r = 0; r < rows; r++) Unsafe.Add(ref o, r) = Unsafe.Add(ref s, r);
                    for (int r = rows; r < mr; r++) Unsafe.Add(ref o, r) = default;
                }
            }
            else
            {
                int p = 0;
                int t = BlockTranspose.Size<T>();
                if (cs == 1 && rows == mr && BlockTranspose.IsSupported<T>())
                {
                    // Row-major A: blocks of up to t rows by t values of k transposed into the panel
                    // (a 6-row panel of floats is one block of 6 rows; of doubles, one of 4 and one of 2).
                    for (; p + t <= kc; p += t)
                        for (int r = 0; r < mr; r += t)
                            BlockTranspose.Run(ref Unsafe.Add(ref src, a.Offset + (i0 + ip + r) * rs + p0 + p), rs,
                                ref Unsafe.Add(ref panel, p * mr + r), mr, Math.Min(t, mr - r));
                }
                for (int r = 0; r < mr; r++)
                {
                    if (r < rows)
                    {
                        ref T s = ref Unsafe.Add(ref src, a.Offset + (i0 + ip + r) * rs + p0 * cs);
                        for (int q = p; q < kc; q++) Unsafe.Add(ref panel, q * mr + r) = Unsafe.Add(ref s, q * cs);
                        continue;
                    }
                    for (int q = 0; q < kc; q++) Unsafe.Add(ref panel, q * mr + r) = default;
                }
            }
        }
    }

    /// <summary>Whether an A panel's run of mr values, <paramref name="bytes"/> long, has a vector copy (6 or 8 floats or doubles).</summary>
    private static bool IsRun(int bytes) => bytes is 24 or 32 or 48 or 64;

    /// <summary>One run of mr values, <paramref name="bytes"/> long (<see cref="IsRun"/>), as one or two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref byte s, ref byte o, int bytes)
    {
        switch (bytes)
        {
            case 24:
                Unsafe.WriteUnaligned(ref o, Unsafe.ReadUnaligned<Vector128<byte>>(ref s));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 16), Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref s, 16)));
                break;
            case 32:
                Unsafe.WriteUnaligned(ref o, Unsafe.ReadUnaligned<Vector256<byte>>(ref s));
                break;
            case 48:
                Unsafe.WriteUnaligned(ref o, Unsafe.ReadUnaligned<Vector256<byte>>(ref s));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 32), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref s, 32)));
                break;
            case 64:
                Unsafe.WriteUnaligned(ref o, Unsafe.ReadUnaligned<Vector256<byte>>(ref s));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 32), Unsafe.ReadUnaligned<Vector256<byte>>(ref Unsafe.Add(ref s, 32)));
                break;
            default:
                Debug.Fail($"no vector copy of {bytes} bytes");
                break;
        }
    }

    /// <summary>
    /// A whole panel of a row-major B, kc runs of nr values, as two vectors a run when nr is two
    /// vectors of the hardware's width (the kernel's tile): a call to the general copy per 128 bytes
    /// cost more than the copy. False, and nothing copied, for another nr.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyPanel<T>(ref T src, int rs, ref T panel, int kc, int nr) where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && nr == 2 * Vector512<T>.Count)
            CopyPanel<T, Simd512<T>>(ref src, rs, ref panel, kc);
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && nr == 2 * Vector256<T>.Count)
            CopyPanel<T, Simd256<T>>(ref src, rs, ref panel, kc);
        else
            return false;
        return true;
    }

    /// <summary><see cref="CopyPanel{T}"/> in vectors of <typeparamref name="TV"/> (nr = 2 of them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPanel<T, TV>(ref T src, int rs, ref T panel, int kc) where T : unmanaged where TV : unmanaged, ISimdVector<TV, T>
    {
        int w = TV.Count;
        for (int p = 0; p < kc; p++)
        {
            ref T s = ref Unsafe.Add(ref src, p * rs);
            ref T o = ref Unsafe.Add(ref panel, p * 2 * w);
            TV.Load(ref s).Store(ref o);
            TV.Load(ref Unsafe.Add(ref s, w)).Store(ref Unsafe.Add(ref o, w));
        }
    }

    /// <summary>k in [p0, p0 + kc) and columns [j0, j0 + nc) of B into ceil(nc / nr) panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(MatrixRef<T> b, int p0, int kc, int j0, int nc, int nr, Span<T> dst) where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetArrayDataReference(b.Data);
        ref T d = ref MemoryMarshal.GetReference(dst);
        int rs = b.RowStride, cs = b.ColumnStride;
        for (int jp = 0; jp < nc; jp += nr)
        {
            ref T panel = ref Unsafe.Add(ref d, jp * kc);
            int cols = Math.Min(nr, nc - jp);
            if (cs == 1)
            {
                // B's rows are contiguous (activations, W in delta W): copy runs of columns.
                if (cols == nr && CopyPanel(ref Unsafe.Add(ref src, b.Offset + p0 * rs + j0 + jp), rs, ref panel, kc, nr)) continue;
                for (int p = 0; p < kc; p++)
                {
                    var s = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref src, b.Offset + (p0 + p) * rs + j0 + jp), cols);
                    var o = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, p * nr), nr);
                    s.CopyTo(o);
                    o[cols..].Clear();
                }
            }
            else
            {
                // B = W^T: each column of B is a contiguous row of W; t x t blocks of W transposed at
                // once, as many whole blocks of columns as the panel holds (24 of a 25-unit layer).
                int p = 0;
                int t = BlockTranspose.Size<T>();
                int blocked = rs == 1 && nr % t == 0 && BlockTranspose.IsSupported<T>() ? cols / t * t : 0;
                if (blocked > 0)
                    for (; p + t <= kc; p += t)
                        for (int c = 0; c < blocked; c += t)
                            BlockTranspose.Run(ref Unsafe.Add(ref src, b.Offset + p0 + p + (j0 + jp + c) * cs), cs,
                                ref Unsafe.Add(ref panel, p * nr + c), nr);
                for (int c = 0; c < cols; c++)
                {
                    ref T s = ref Unsafe.Add(ref src, b.Offset + p0 * rs + (j0 + jp + c) * cs);
                    for (int q = c < blocked ? p : 0; q < kc; q++) Unsafe.Add(ref panel, q * nr + c) = Unsafe.Add(ref s, q * rs);
                }
                if (cols < nr)
                    for (int q = 0; q < kc; q++) MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, q * nr + cols), nr - cols).Clear();
            }
        }
    }
}
