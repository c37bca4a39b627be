using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// A preallocated C = A B over whole matrices on a <see cref="WorkerPool"/>. Set the operands, then
/// <see cref="Run(WorkerPool, MatrixRef{T}, MatrixRef{T}, T[], int, int, int)"/>; reusing one job keeps
/// the training step allocation-free. No element is reduced across threads and every element keeps
/// the FMA chain of <see cref="Gemm"/> (slices of k in order, the same kernel), so the split over
/// threads never changes a bit.
/// </summary>
/// <remarks>
/// Blocked products are shared as in BLIS/OpenBLAS: for each block of columns and slice of k, the
/// threads pack B's panels together into one buffer (claiming groups of panels), meet at a barrier,
/// then claim blocks of C (a block of rows of A by a range of B's panels) from a counter, each
/// packing the rows of A it claimed (again only when its previous block had other rows), and meet
/// again before the next slice overwrites B. A thread the host slows down simply takes fewer blocks,
/// where fixed halves made every product wait for the slower core. Unpacked products keep fixed
/// shares of C's longer side (<see cref="WorkerPool"/>'s split).
/// </remarks>
internal sealed class GemmJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Panels of B per packing claim: 4 x 32 columns x a slice of k (128 KiB of floats at kc = 256).</summary>
    private const int PanelsPerPackClaim = 4;
    /// <summary>Blocks of C per thread and slice of k, at least (when B has the panels for it): the grain of the balance.</summary>
    private const int ClaimsPerThread = 8;

    private MatrixRef<T> _a, _b;
    private T[] _c = [];
    private int _m, _n, _k, _tile;
    private bool _byColumns, _small, _shared;

    // The shared product's state: the B block lent by the calling thread, the threads taking part,
    // the claim counters (reset by the last thread through each barrier) and the barrier itself.
    private Memory<T> _packedB;
    private int _parts, _packClaim, _blockClaim, _arrived;
    private volatile int _phase;
    private volatile bool _failed;

    /// <summary>
    /// Below this many multiply-adds a product runs on the calling thread alone: forking costs a few
    /// microseconds, about what 1M multiply-adds take on one core. Results never depend on it (tests
    /// lower it to exercise the split on small networks).
    /// </summary>
    public static long ParallelThreshold { get; set; } = 1 << 20;

    /// <summary>
    /// Called with (thread's part, block) each time a thread claims a block of C in a shared product;
    /// null but in tests, which delay one thread with it to force an uneven share.
    /// </summary>
    internal Action<int, int>? ClaimHook { get; set; }

    /// <summary>C (m x n, row-major) = A (m x k) B (k x n).</summary>
    public void Run(WorkerPool pool, MatrixRef<T> a, MatrixRef<T> b, T[] c, int m, int n, int k)
    {
        _a = a; _b = b; _c = c; _m = m; _n = n; _k = k;
        _small = Gemm.IsSmall<T>(m, n, k) || Gemm.PrefersUnpacked(m, n, k, b);
        // Split by size alone: either path computes any sub-rectangle with the same bits.
        bool parallel = (long)m * n * k >= ParallelThreshold && pool.Threads > 1;
        _shared = parallel && !_small;
        if (_shared)
        {
            _packedB = GemmBuffers<T>.ForThisThread(Gemm.RowTile, Gemm.ColumnTile<T>()).SharedB;
            _parts = pool.Threads;
            _packClaim = _blockClaim = _arrived = 0;
            _failed = false;
            pool.Run(this, _parts);
            return;
        }
        // Split the longer side of C; each thread then reads the (smaller) other operand whole.
        _byColumns = n >= m;
        _tile = _byColumns ? Gemm.ColumnTile<T>() : Gemm.RowTile;
        int tiles = ((_byColumns ? n : m) + _tile - 1) / _tile;
        pool.Run(this, tiles, parallel);
    }

    /// <summary>C = A B^T with A rowsA x k and B rowsB x k, both row-major (the first engine's form).</summary>
    public void Run(WorkerPool pool, T[] a, int rowsA, T[] b, int rowsB, int k, T[] c) =>
        Run(pool, MatrixRef<T>.RowMajor(a, k), MatrixRef<T>.TransposeOf(b, k), c, rowsA, rowsB, k);

    public void Execute(int start, int end)
    {
        if (_shared)
        {
            try
            {
                // One item per thread: start is this thread's part.
                if (Vector512.IsHardwareAccelerated)
                    Shared<Simd512<T>>(start);
                else
                    Shared<Simd256<T>>(start);
            }
            catch
            {
                _failed = true; // releases the others from the barrier
                throw;
            }
            return;
        }
        int from = start * _tile, to = end * _tile;
        if (_byColumns)
            Gemm.Multiply(_a, _b, _c, _n, _k, 0, _m, from, Math.Min(to, _n), _small);
        else
            Gemm.Multiply(_a, _b, _c, _n, _k, from, Math.Min(to, _m), 0, _n, _small);
    }

    /// <summary>One thread's part of the shared blocked product (see the remarks above).</summary>
    private void Shared<TV>(int part) where TV : unmanaged, ISimdVector<TV, T>
    {
        int mr = GemmMicroKernel.Rows, nr = 2 * TV.Count, m = _m, n = _n, k = _k;
        var buffers = GemmBuffers<T>.ForThisThread(mr, nr);
        ref T aBlock = ref MemoryMarshal.GetReference(buffers.A);
        ref T tile = ref MemoryMarshal.GetReference(buffers.Tile);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(_c);
        int kBlock = Gemm.SliceOfK(k), mBlock = Gemm.BlockOfRows(m), rowBlocks = (m + mBlock - 1) / mBlock;
        for (int jc = 0; jc < n; jc += Gemm.NBlock)
        {
            int nc = Math.Min(Gemm.NBlock, n - jc), panels = (nc + nr - 1) / nr;
            // Split B's panels too when there are few row blocks (a batch of 256 rows is two).
            int columnBlocks = Math.Clamp((ClaimsPerThread * _parts + rowBlocks - 1) / rowBlocks, 1, panels);
            int blocks = rowBlocks * columnBlocks, packClaims = (panels + PanelsPerPackClaim - 1) / PanelsPerPackClaim;
            for (int pc = 0; pc < k; pc += kBlock)
            {
                int kc = Math.Min(kBlock, k - pc);
                var packedB = _packedB.Span;
                for (int g; (g = Interlocked.Increment(ref _packClaim) - 1) < packClaims;)
                {
                    int from = g * PanelsPerPackClaim * nr, to = Math.Min(from + PanelsPerPackClaim * nr, nc);
                    GemmPacking.PackB(_b, pc, kc, jc + from, to - from, nr, packedB[(from * kc)..]);
                }
                if (!Barrier(ref _packClaim)) return;
                ref T bBlock = ref MemoryMarshal.GetReference(packedB);
                int packedRows = -1;
                for (int u; (u = Interlocked.Increment(ref _blockClaim) - 1) < blocks;)
                {
                    ClaimHook?.Invoke(part, u);
                    int rowBlock = u / columnBlocks, columnBlock = u % columnBlocks;
                    int ic = rowBlock * mBlock, mc = Math.Min(mBlock, m - ic);
                    if (rowBlock != packedRows)
                    {
                        GemmPacking.PackA(_a, ic, mc, pc, kc, mr, buffers.A);
                        packedRows = rowBlock;
                    }
                    int jrFrom = (int)((long)panels * columnBlock / columnBlocks) * nr;
                    int jrTo = (int)((long)panels * (columnBlock + 1) / columnBlocks) * nr;
                    Gemm.Tiles<T, TV>(ref aBlock, ref bBlock, ref tile, ref c0, _n, ic, mc, jc, jrFrom, jrTo, nc, kc, accumulate: pc > 0);
                }
                // The next slice repacks B and adds onto these tiles: nobody starts it before all are done.
                if (!Barrier(ref _blockClaim)) return;
            }
        }
    }

    /// <summary>
    /// Waits until every part has arrived; the last one resets <paramref name="claim"/> (no part reads it
    /// again before this barrier's next use). False when another part failed.
    /// </summary>
    private bool Barrier(ref int claim)
    {
        int phase = _phase;
        if (Interlocked.Increment(ref _arrived) == _parts)
        {
            claim = 0;
            _arrived = 0;
            _phase = phase + 1; // volatile: publishes both resets
            return true;
        }
        // Spin as the pool's workers do (a slice's work is tens of microseconds; a yield can hand the
        // core to a neighbour for milliseconds), then yield while the other part has lost its core.
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + WorkerPool.SpinTicks;
        while (_phase == phase)
        {
            if (_failed) return false;
            if (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                Thread.SpinWait(8);
            else
                Thread.Yield();
        }
        return true;
    }
}
