namespace SymmetryLab.Numerics;

/// <summary>
/// A preallocated C = A B over whole matrices on a <see cref="WorkerPool"/>. Set the operands, then
/// <see cref="Run(WorkerPool, MatrixRef{T}, MatrixRef{T}, T[], int, int, int)"/>; reusing one job keeps
/// the training step allocation-free. No element is reduced across threads and every element keeps
/// the FMA chain of <see cref="Gemm"/> (slices of k in order, the same kernel), so the split over
/// threads never changes a bit.
/// </summary>
/// <remarks>
/// A blocked product is cut along C's longer side into <see cref="ChunksPerThread"/> chunks per thread,
/// whole register tiles each, and each thread claims the next chunk from a counter until none is left
/// (each computing its chunk as <see cref="Gemm.Multiply{T}(MatrixRef{T}, MatrixRef{T}, T[], int, int, int, int, int, int, bool)"/>,
/// packing into its own buffers): a thread the host slows down simply takes fewer chunks, where
/// fixed halves made every product wait for the slower core. Unpacked products, and products too
/// narrow for chunks, keep fixed shares (<see cref="WorkerPool"/>'s split).
/// </remarks>
internal sealed class GemmJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Chunks per thread: the grain of the balance (a slow thread can leave the others at most one
    /// chunk to wait for), against one more packing of the shorter side per chunk.
    /// </summary>
    private const int ChunksPerThread = 4;

    private MatrixRef<T> _a, _b;
    private T[] _c = [];
    private int _m, _n, _k, _tile, _tiles, _chunks, _claim;
    private bool _byColumns, _small, _claimed;

    /// <summary>
    /// Below this many multiply-adds a product runs on the calling thread alone: forking costs a few
    /// microseconds, about what 1M multiply-adds take on one core. Results never depend on it (tests
    /// lower it to exercise the split on small networks).
    /// </summary>
    public static long ParallelThreshold { get; set; } = 1 << 20;

    /// <summary>
    /// Called with (thread's part, chunk) each time a thread claims a chunk of C;
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
        // Split the longer side of C; each thread then reads the (smaller) other operand whole.
        _byColumns = n >= m;
        _tile = _byColumns ? Gemm.ColumnTile<T>() : Gemm.RowTile;
        int tiles = ((_byColumns ? n : m) + _tile - 1) / _tile;
        _claimed = parallel && !_small && tiles >= 2 * pool.Threads;
        if (_claimed)
        {
            // Blocks of C claimed from a counter: a thread the host slows down takes fewer of them.
            _chunks = Math.Min(tiles, ChunksPerThread * pool.Threads);
            _tiles = tiles;
            _claim = 0;
            pool.Run(this, pool.Threads);
            return;
        }
        pool.Run(this, tiles, parallel);
    }

    /// <summary>C = A B^T with A rowsA x k and B rowsB x k, both row-major (the first engine's form).</summary>
    public void Run(WorkerPool pool, T[] a, int rowsA, T[] b, int rowsB, int k, T[] c) =>
        Run(pool, MatrixRef<T>.RowMajor(a, k), MatrixRef<T>.TransposeOf(b, k), c, rowsA, rowsB, k);

    public void Execute(int start, int end)
    {
        if (_claimed)
        {
            // One item per thread: start is this thread's part; it computes whole chunks until none is left.
            for (int u; (u = Interlocked.Increment(ref _claim) - 1) < _chunks;)
            {
                ClaimHook?.Invoke(start, u);
                Chunk((int)((long)_tiles * u / _chunks), (int)((long)_tiles * (u + 1) / _chunks));
            }
            return;
        }
        Chunk(start, end);
    }

    /// <summary>Tiles [start, end) of C's longer side, across the whole of the other.</summary>
    private void Chunk(int start, int end)
    {
        int from = start * _tile, to = end * _tile;
        if (_byColumns)
            Gemm.Multiply(_a, _b, _c, _n, _k, 0, _m, from, Math.Min(to, _n), _small);
        else
            Gemm.Multiply(_a, _b, _c, _n, _k, from, Math.Min(to, _m), 0, _n, _small);
    }
}
