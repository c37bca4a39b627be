using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Numerics;

/// <summary>
/// The matrix product of the engine, C = A B (m x n = (m x k)(k x n)), on operands seen through
/// <see cref="MatrixRef{T}"/> strides, so that transposes cost nothing. Every element is
///     C[r, c] = FMA(A[r, k-1], B[k-1, c], ... FMA(A[r, 1], B[1, c], FMA(A[r, 0], B[0, c], +0)) ...)
/// in T: one rounding per multiply-add, in increasing order of k, whatever the shape, the blocking,
/// the tile, the edge or the thread. So two equal rows of B^T give bit-equal columns of C (identical
/// units stay identical) and the split over threads never changes a bit.
/// </summary>
/// <remarks>
/// Blocked as in BLIS/GotoBLAS: for each block of NC columns, for each slice of KC of k, B's block
/// is packed into panels (kept in L2/L3, a panel of KC x NR in L1); for each block of MC rows, A's
/// block is packed (L2); then the register tiles of <see cref="GemmMicroKernel"/> run over it, reading
/// C back between k-slices (exact). Edge tiles run the same kernel on zero-padded panels into a
/// scratch tile. Tiny products skip packing (<see cref="GemmSmall"/>), same arithmetic per element.
/// </remarks>
internal static class Gemm
{
    /// <summary>Slice of k per packed block (KC): a B panel of KC x 32 floats is 32 KiB, half of L1 or so.</summary>
    internal const int KBlock = 256;
    /// <summary>
    /// Rows of A per packed block (MC) of floats: 144 x 256 floats = 144 KiB, well inside L2. Doubles
    /// take half as many rows (<see cref="MBlockOf{T}"/>), the same bytes, as BLIS does for these cores:
    /// 144 rows of doubles (288 KiB) measured 3-6% slower on W4's three products (one and two threads).
    /// </summary>
    internal const int MBlock = 144;

    /// <summary>Rows of A per packed block for T: <see cref="MBlock"/> rows' worth of floats in bytes.</summary>
    internal static int MBlockOf<T>() where T : unmanaged => MBlock * sizeof(float) / Unsafe.SizeOf<T>();

    /// <summary>Columns of B per packed block (NC): 256 x 2048 floats = 2 MiB, L2/L3.</summary>
    internal const int NBlock = 2048;
    /// <summary>At or below this many multiply-adds the product runs unpacked.</summary>
    internal const long SmallWork = 1 << 14;

    /// <summary>Columns per register tile (NR): two hardware vectors of T.</summary>
    public static int ColumnTile<T>() where T : unmanaged =>
        Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <summary>Rows per register tile (MR) of the vectors <see cref="Multiply{T}(MatrixRef{T}, MatrixRef{T}, T[], int, int, int, int, int, int, bool)"/> uses here.</summary>
    public static int RowTile => Vector512.IsHardwareAccelerated
        ? GemmMicroKernel.Rows<float, Simd512<float>>()
        : GemmMicroKernel.Rows<float, Simd256<float>>();

    /// <summary>Whether a product of this shape takes the unpacked path (a function of the whole shape only).</summary>
    public static bool IsSmall<T>(int m, int n, int k) where T : unmanaged =>
        (long)m * n * k <= SmallWork || n <= 2;

    /// <summary>
    /// Shapes where packing costs more than it saves, whatever their size: a short k with B's rows
    /// contiguous (a weight gradient over a minibatch of 32: rows of C straight from rows of B), or a
    /// few columns of B read through strides (a 25-unit layer's W^T: vectors of rows of C instead).
    /// </summary>
    public static bool PrefersUnpacked<T>(int m, int n, int k, MatrixRef<T> b) where T : unmanaged
    {
        int w = GemmSmall.Width<T>();
        return (k <= 64 && b.ColumnStride == 1 && n >= w) || (b.ColumnStride != 1 && n <= 4 * w && m >= 2 * w);
    }

    /// <summary>
    /// C[r, c] = sum_p A[r, p] B[p, c] (in the order above) for r in [i0, i1) and c in [j0, j1);
    /// C is row-major with row stride <paramref name="ldc"/>. <paramref name="small"/> picks the path,
    /// normally <see cref="IsSmall{T}"/> of the whole product (either gives the same bits).
    /// </summary>
    public static void Multiply<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1, bool small)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (i1 <= i0 || j1 <= j0) return;
        if (small)
            GemmSmall.Run(a, b, c, ldc, k, i0, i1, j0, j1);
        else if (Vector512.IsHardwareAccelerated)
            Blocked<T, Simd512<T>>(a, b, c, ldc, k, i0, i1, j0, j1);
        else
            Blocked<T, Simd256<T>>(a, b, c, ldc, k, i0, i1, j0, j1);
    }

    /// <summary>All of C = A B (m x n).</summary>
    public static void Multiply<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(a, b, c, n, k, 0, m, 0, n, IsSmall<T>(m, n, k));

    /// <summary>
    /// C = A B^T for rows [rowStart, rowEnd) of C: A is rowsA x k and B is rowsB x k, both row-major,
    /// C is rowsA x rowsB (the form of the first engine; B^T is read through strides, not copied).
    /// </summary>
    public static void MultiplyTransposed<T>(T[] a, T[] b, T[] c, int rowsB, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(MatrixRef<T>.RowMajor(a, k), MatrixRef<T>.TransposeOf(b, k), c, rowsB, k, rowStart, rowEnd, 0, rowsB,
            IsSmall<T>(rowEnd - rowStart, rowsB, k));

    // Full optimization from the first call: the kernels are hot from the first step, and tier-0 code
    // of the vector wrappers is an order of magnitude slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T, TV>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : unmanaged, ISimdVector<TV, T>
    {
        int mr = GemmMicroKernel.Rows<T, TV>(), nr = 2 * TV.Count;
        var buffers = GemmBuffers<T>.ForThisThread(mr, nr);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(c);
        ref T tile = ref MemoryMarshal.GetReference(buffers.Tile);
        // Slices of k of equal length (784 = 4 x 196, not 3 x 256 + 16): a short last slice would
        // load and store C for a handful of multiply-adds. Rows of A likewise in equal blocks.
        int kBlock = (k + (k + KBlock - 1) / KBlock - 1) / ((k + KBlock - 1) / KBlock);
        int mBlockMost = MBlockOf<T>();
        int rowsAll = i1 - i0, mBlocks = (rowsAll + mBlockMost - 1) / mBlockMost;
        int mBlock = ((rowsAll + mBlocks - 1) / mBlocks + mr - 1) / mr * mr;
        for (int jc = j0; jc < j1; jc += NBlock)
        {
            int nc = Math.Min(NBlock, j1 - jc);
            for (int pc = 0; pc < k; pc += kBlock)
            {
                int kc = Math.Min(kBlock, k - pc);
                bool accumulate = pc > 0;
                GemmPacking.PackB(b, pc, kc, jc, nc, nr, buffers.B);
                for (int ic = i0; ic < i1; ic += mBlock)
                {
                    int mc = Math.Min(mBlock, i1 - ic);
                    GemmPacking.PackA(a, ic, mc, pc, kc, mr, buffers.A);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        ref T bPanel = ref MemoryMarshal.GetReference(buffers.B);
                        bPanel = ref Unsafe.Add(ref bPanel, jr * kc);
                        int cols = Math.Min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            ref T aPanel = ref Unsafe.Add(ref MemoryMarshal.GetReference(buffers.A), ir * kc);
                            int rows = Math.Min(mr, mc - ir);
                            ref T cTile = ref Unsafe.Add(ref c0, (ic + ir) * ldc + jc + jr);
                            if (accumulate)
                            {
                                // The next tile's C, down this column of tiles or atop the next one.
                                if (ir + mr < mc)
                                    PrefetchTile(ref Unsafe.Add(ref cTile, mr * ldc), ldc, Math.Min(mr, mc - ir - mr), cols);
                                else if (jr + nr < nc)
                                    PrefetchTile(ref Unsafe.Add(ref c0, ic * ldc + jc + jr + nr), ldc, Math.Min(mr, mc), Math.Min(nr, nc - jr - nr));
                            }
                            if (rows == mr && cols == nr)
                            {
                                GemmMicroKernel.Run<T, TV>(ref aPanel, ref bPanel, ref cTile, ldc, kc, accumulate);
                                continue;
                            }
                            // Edge: the same kernel on a scratch tile, then only the valid part copied.
                            if (accumulate)
                                for (int r = 0; r < rows; r++)
                                    for (int q = 0; q < cols; q++)
                                        Unsafe.Add(ref tile, r * nr + q) = Unsafe.Add(ref cTile, r * ldc + q);
                            GemmMicroKernel.Run<T, TV>(ref aPanel, ref bPanel, ref tile, nr, kc, accumulate);
                            for (int r = 0; r < rows; r++)
                                for (int q = 0; q < cols; q++)
                                    Unsafe.Add(ref cTile, r * ldc + q) = Unsafe.Add(ref tile, r * nr + q);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Asks for a tile of C (rows x cols at <paramref name="c"/>) in L1 ahead of its use. The register
    /// tile starts from C (the FMA chain continues from it, so C cannot be added at the end as BLIS
    /// does) and its first multiply-add waits on those loads; issued one tile ahead, they arrive while
    /// the current tile runs (measured 2-8% on square 1024-2048 products, one and two threads; nothing
    /// measurable on W4's three products). A prefetch never faults and changes no value; the address is
    /// taken without pinning, and if the collector moves C meanwhile the hint is merely wasted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile<T>(ref T c, int ldc, int rows, int cols) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        int last = cols * sizeof(T) - 1;
        for (int r = 0; r < rows; r++)
        {
            byte* row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref c, r * ldc));
            for (int o = 0; o < last; o += 64) Sse.Prefetch0(row + o);
            Sse.Prefetch0(row + last);
        }
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

/// <summary>
/// Packing buffers and the edge tile, one set per thread and precision, grown once and reused (no
/// allocation in steady state). The packed panels and the tile start on a 64-byte boundary, so every
/// 512-bit load of a panel row and every store of the tile stays within one cache line: a managed
/// array's data starts wherever the heap put it (8-byte aligned), which differs from one process to
/// the next and, with it, how many loads split across two lines. They live on the pinned object heap
/// so that an offset to a boundary, computed once, holds for the buffer's life.
/// </summary>
internal sealed class GemmBuffers<T> where T : unmanaged
{
    [ThreadStatic] private static GemmBuffers<T>? _current;

    private const int Alignment = 64;
    private T[] _a = [], _b = [], _tile = [];
    private int _aStart, _bStart, _tileStart, _aLength, _bLength, _tileLength;

    public T[] Column = [];

    /// <summary>The packed block of A, 64-byte aligned.</summary>
    public Span<T> A => _a.AsSpan(_aStart, _aLength);

    /// <summary>The packed block of B, 64-byte aligned.</summary>
    public Span<T> B => _b.AsSpan(_bStart, _bLength);

    /// <summary>The scratch tile of edge tiles, 64-byte aligned.</summary>
    public Span<T> Tile => _tile.AsSpan(_tileStart, _tileLength);

    /// <summary>This thread's buffer for the unpacked path's transposed rows, at least <paramref name="length"/> long.</summary>
    public static T[] ColumnBuffer(int length)
    {
        var buffers = _current ??= new GemmBuffers<T>();
        if (buffers.Column.Length < length) buffers.Column = new T[length];
        return buffers.Column;
    }

    public static GemmBuffers<T> ForThisThread(int mr, int nr)
    {
        var buffers = _current ??= new GemmBuffers<T>();
        int a = (Gemm.MBlockOf<T>() + mr) * Gemm.KBlock, b = (Gemm.NBlock + nr) * Gemm.KBlock;
        if (buffers._aLength < a) (buffers._a, buffers._aStart, buffers._aLength) = Aligned(a);
        if (buffers._bLength < b) (buffers._b, buffers._bStart, buffers._bLength) = Aligned(b);
        if (buffers._tileLength < mr * nr) (buffers._tile, buffers._tileStart, buffers._tileLength) = Aligned(mr * nr);
        return buffers;
    }

    private static (T[] Array, int Start, int Length) Aligned(int length)
    {
        int size = Unsafe.SizeOf<T>();
        var array = GC.AllocateArray<T>(length + Alignment / size, pinned: true);
        int start = (int)((Alignment - Address(array) % Alignment) % Alignment) / size;
        return (array, start, length);
    }

    /// <summary>The address of a span's first element (meaningful for pinned memory only).</summary>
    internal static unsafe long Address(Span<T> span)
    {
        fixed (T* p = span) return (long)p;
    }
}
