using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// The Pearson correlation between every hidden unit of A and every hidden unit of B (same layer) over
/// the rows of a data set, accumulated a chunk of rows at a time, so memory does not grow with the
/// data. Sums are of values shifted by the first chunk's means (so that a unit far from 0 loses no
/// digits to cancellation), the cross sums a matrix product per chunk.
/// </summary>
internal sealed class ActivationCorrelation
{
    private readonly int[] _units;
    private readonly double[][] _shiftA, _shiftB, _sumA, _sumB, _squaresA, _squaresB, _cross;
    private readonly GemmJob<double> _gemm = new();
    private readonly WorkerPool _pool;
    private double[] _centeredA = [], _centeredB = [], _chunkCross = [];
    private long _rows;

    /// <summary>For layers of <paramref name="units"/> units each (A's and B's hidden layers).</summary>
    public ActivationCorrelation(IReadOnlyList<int> units, int threads = 0)
    {
        _units = [.. units];
        double[][] Vectors() => [.. _units.Select(n => new double[n])];
        (_shiftA, _shiftB, _sumA, _sumB, _squaresA, _squaresB) = (Vectors(), Vectors(), Vectors(), Vectors(), Vectors(), Vectors());
        _cross = [.. _units.Select(n => new double[n * n])];
        _pool = WorkerPool.ForThreads(threads > 0 ? threads : Environment.ProcessorCount);
    }

    /// <summary>Adds <paramref name="rows"/> rows: activations[l] of A and B are rows x units[l], row-major.</summary>
    public void Add<T>(IReadOnlyList<T[]> a, IReadOnlyList<T[]> b, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0) return;
        for (int l = 0; l < _units.Length; l++)
        {
            int n = _units[l];
            if (_rows == 0)
            {
                Mean(a[l], rows, n, _shiftA[l]);
                Mean(b[l], rows, n, _shiftB[l]);
            }
            if (_centeredA.Length < rows * n) { _centeredA = new double[rows * n]; _centeredB = new double[rows * n]; }
            if (_chunkCross.Length < n * n) _chunkCross = new double[n * n];
            Center(a[l], rows, n, _shiftA[l], _centeredA, _sumA[l], _squaresA[l]);
            Center(b[l], rows, n, _shiftB[l], _centeredB, _sumB[l], _squaresB[l]);
            // cross[j, k] += sum_r a'[r, j] b'[r, k], i.e. A'^T B'.
            _gemm.Run(_pool, MatrixRef<double>.TransposeOf(_centeredA, n), MatrixRef<double>.RowMajor(_centeredB, n), _chunkCross, n, n, rows);
            var cross = _cross[l];
            for (int i = 0; i < n * n; i++) cross[i] += _chunkCross[i];
        }
        _rows += rows;
    }

    private static void Mean<T>(T[] values, int rows, int n, double[] mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Clear(mean);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++) mean[j] += double.CreateChecked(values[r * n + j]);
        for (int j = 0; j < n; j++) mean[j] /= rows;
    }

    /// <summary>
    /// into = values - shift, row by row, with each column's sum and sum of squares of it. Eight or
    /// sixteen columns at a time where the hardware has 256- or 512-bit vectors: each column still adds
    /// its rows in order, v * v rounded before it is added, so the sums are the scalar loop's bits.
    /// </summary>
    private static void Center<T>(T[] values, int rows, int n, double[] shift, double[] into, double[] sum, double[] squares) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wide = Vector512.IsHardwareAccelerated;
        int step = typeof(T) != typeof(float) && typeof(T) != typeof(double) ? int.MaxValue
            : wide ? Vector512<T>.Count : Vector256.IsHardwareAccelerated ? 8 : int.MaxValue;
        for (int r = 0; r < rows; r++)
        {
            int j = 0;
            for (; j <= n - step; j += step)
            {
                int at = r * n + j;
                if (wide && typeof(T) == typeof(float))
                {
                    var (low, high) = Vector512.Widen(Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref values[at])));
                    CenterVector(new Simd512<double>(low), at, j);
                    CenterVector(new Simd512<double>(high), at + 8, j + 8);
                }
                else if (wide) CenterVector(Simd512<double>.Load(ref Unsafe.As<T, double>(ref values[at])), at, j);
                else if (typeof(T) == typeof(float))
                {
                    var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref values[at])));
                    CenterVector(new Simd256<double>(low), at, j);
                    CenterVector(new Simd256<double>(high), at + 4, j + 4);
                }
                else
                {
                    CenterVector(Simd256<double>.Load(ref Unsafe.As<T, double>(ref values[at])), at, j);
                    CenterVector(Simd256<double>.Load(ref Unsafe.As<T, double>(ref values[at + 4])), at + 4, j + 4);
                }
            }
            for (; j < n; j++)
            {
                double v = double.CreateChecked(values[r * n + j]) - shift[j];
                into[r * n + j] = v;
                sum[j] += v;
                squares[j] += v * v;
            }
        }

        // One body for both widths (ISimdVector: a multiplication is never fused with the addition after it).
        void CenterVector<TV>(TV x, int at, int column) where TV : unmanaged, ISimdVector<TV, double>
        {
            var v = TV.Subtract(x, TV.Load(ref shift[column]));
            v.Store(ref into[at]);
            TV.Add(TV.Load(ref sum[column]), v).Store(ref sum[column]);
            TV.Add(TV.Load(ref squares[column]), TV.Multiply(v, v)).Store(ref squares[column]);
        }
    }

    /// <summary>corr[l][j, k] between A's unit j and B's unit k of hidden layer l; 0 when either unit is constant on the data.</summary>
    public double[][,] Result()
    {
        var result = new double[_units.Length][,];
        double rows = _rows;
        for (int l = 0; l < _units.Length; l++)
        {
            int n = _units[l];
            var c = new double[n, n];
            // Centered sums of squares and products: S_xy = sum x'y' - sum x' sum y' / N (shifts cancel).
            var normA = new double[n];
            var normB = new double[n];
            for (int j = 0; j < n; j++)
            {
                normA[j] = Math.Sqrt(Math.Max(0, _squaresA[l][j] - _sumA[l][j] * _sumA[l][j] / rows));
                normB[j] = Math.Sqrt(Math.Max(0, _squaresB[l][j] - _sumB[l][j] * _sumB[l][j] / rows));
            }
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    c[j, k] = normA[j] > 1e-12 && normB[k] > 1e-12
                        ? (_cross[l][j * n + k] - _sumA[l][j] * _sumB[l][k] / rows) / (normA[j] * normB[k])
                        : 0;
            result[l] = c;
        }
        return result;
    }
}
