using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// The matrix-product kernels alone, single thread, float32 and float64: C = A B (n x n x n, the
/// blocked kernel) and the forward form C = A W^T (W read through strides).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmark
{
    private float[] _af = [], _bf = [], _cf = [];
    private double[] _ad = [], _bd = [], _cd = [];

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _af = new float[N * N]; _bf = new float[N * N]; _cf = new float[N * N];
        _ad = new double[N * N]; _bd = new double[N * N]; _cd = new double[N * N];
        for (int i = 0; i < N * N; i++) { _ad[i] = _af[i] = (float)rng.NextNormal(); _bd[i] = _bf[i] = (float)rng.NextNormal(); }
    }

    [Benchmark]
    public void Float32() => Gemm.Multiply(MatrixRef<float>.RowMajor(_af, N), MatrixRef<float>.RowMajor(_bf, N), _cf, N, N, N);

    [Benchmark]
    public void Float64() => Gemm.Multiply(MatrixRef<double>.RowMajor(_ad, N), MatrixRef<double>.RowMajor(_bd, N), _cd, N, N, N);

    [Benchmark]
    public void Float32TimesTransposed() => Gemm.Multiply(MatrixRef<float>.RowMajor(_af, N), MatrixRef<float>.TransposeOf(_bf, N), _cf, N, N, N);

}

/// <summary>
/// The unpacked path's shape classes, as a training step meets them (through GemmJob, which picks the
/// path): a tiny layer (200 x 3 x 2), W2's 25-unit forward product (32 x 25 x 400 against W^T, vectors
/// of rows) and its weight gradient (25 x 400 over a minibatch of 32, vectors of columns).
/// </summary>
[MemoryDiagnoser]
public class SmallGemmBenchmark
{
    private readonly GemmJob<float> _job = new();
    private readonly WorkerPool _pool = WorkerPool.ForThreads(1);
    private readonly float[] _tinyX = Random(400), _tinyW = Random(6), _tinyZ = new float[600];
    private readonly float[] _x = Random(32 * 400), _w = Random(25 * 400), _z = new float[32 * 25], _delta = Random(32 * 25), _dw = new float[25 * 400];

    private static float[] Random(int n)
    {
        var rng = new Rng((ulong)n);
        return [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal())];
    }

    [Benchmark]
    public void TinyLayer() => _job.Run(_pool, MatrixRef<float>.RowMajor(_tinyX, 2), MatrixRef<float>.TransposeOf(_tinyW, 2), _tinyZ, 200, 3, 2);

    [Benchmark]
    public void NarrowLayerForward() => _job.Run(_pool, MatrixRef<float>.RowMajor(_x, 400), MatrixRef<float>.TransposeOf(_w, 400), _z, 32, 25, 400);

    [Benchmark]
    public void MinibatchWeightGradient() => _job.Run(_pool, MatrixRef<float>.TransposeOf(_delta, 25), MatrixRef<float>.RowMajor(_x, 400), _dw, 25, 400, 32);
}

internal static class KernelBench
{
    public static int Run(string[] args)
    {
        BenchmarkRunner.Run([typeof(GemmBenchmark), typeof(SmallGemmBenchmark), typeof(ElementwiseBenchmark)], args: args);
        return 0;
    }
}
