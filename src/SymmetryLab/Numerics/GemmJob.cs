namespace SymmetryLab.Numerics;

/// <summary>
/// A preallocated C = A B over whole matrices, split across a <see cref="WorkerPool"/> by blocks of
/// output columns (or rows, when C is taller than wide), in whole register tiles. Each thread packs
/// what its share needs; no element is reduced across threads, so the split never changes a bit.
/// Set the operands, then <see cref="Run(WorkerPool, MatrixRef{T}, MatrixRef{T}, T[], int, int, int)"/>;
/// reusing one job keeps the training step allocation-free.
/// </summary>
internal sealed class GemmJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private MatrixRef<T> _a, _b;
    private T[] _c = [];
    private int _m, _n, _k, _tile;
    private bool _byColumns, _small;

    /// <summary>
    /// Below this many multiply-adds a product runs on the calling thread alone: forking costs a few
    /// microseconds, about what 1M multiply-adds take on one core. Results never depend on it (tests
    /// lower it to exercise the split on small networks).
    /// </summary>
    public static long ParallelThreshold { get; set; } = 1 << 20;

    /// <summary>C (m x n, row-major) = A (m x k) B (k x n).</summary>
    public void Run(WorkerPool pool, MatrixRef<T> a, MatrixRef<T> b, T[] c, int m, int n, int k)
    {
        _a = a; _b = b; _c = c; _m = m; _n = n; _k = k;
        _small = Gemm.IsSmall<T>(m, n, k) || Gemm.PrefersUnpacked(m, n, k, b);
        // Split the longer side of C; each thread then repacks the (smaller) other operand whole.
        _byColumns = n >= m;
        _tile = _byColumns ? Gemm.ColumnTile<T>() : Gemm.RowTile;
        int tiles = ((_byColumns ? n : m) + _tile - 1) / _tile;
        // Split by size alone: either path computes any sub-rectangle with the same bits.
        pool.Run(this, tiles, parallel: (long)m * n * k >= ParallelThreshold);
    }

    /// <summary>C = A B^T with A rowsA x k and B rowsB x k, both row-major (the first engine's form).</summary>
    public void Run(WorkerPool pool, T[] a, int rowsA, T[] b, int rowsB, int k, T[] c) =>
        Run(pool, MatrixRef<T>.RowMajor(a, k), MatrixRef<T>.TransposeOf(b, k), c, rowsA, rowsB, k);

    public void Execute(int start, int end)
    {
        int from = start * _tile, to = end * _tile;
        if (_byColumns)
            Gemm.Multiply(_a, _b, _c, _n, _k, 0, _m, from, Math.Min(to, _n), _small);
        else
            Gemm.Multiply(_a, _b, _c, _n, _k, from, Math.Min(to, _m), 0, _n, _small);
    }
}
