namespace SymmetryLab.Numerics;

/// <summary>
/// A preallocated C = A * B^T over whole arrays, split by rows of A across a <see cref="WorkerPool"/>.
/// Set the operands, then <see cref="Run"/>; reusing one job keeps the training step allocation-free.
/// </summary>
public sealed class GemmJob<T> : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _a = [], _b = [], _c = [];
    private int _rowsB, _k;

    /// <summary>Below this many multiply-adds a product runs on the calling thread alone.</summary>
    public const long ParallelThreshold = 1 << 15;

    public void Run(WorkerPool pool, T[] a, int rowsA, T[] b, int rowsB, int k, T[] c)
    {
        _a = a; _b = b; _c = c; _rowsB = rowsB; _k = k;
        pool.Run(this, rowsA, parallel: (long)rowsA * rowsB * k >= ParallelThreshold);
    }

    public void Execute(int start, int end) =>
        Gemm.MultiplyTransposed<T>(_a, _b, _c, _rowsB, _k, start, end);
}
