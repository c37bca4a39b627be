using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// The matrix-product kernels alone, single thread, float32 and float64: C = A B (n x n x n, the
/// blocked kernel), the forward form C = A W^T (W read through strides), and a tiny layer
/// (200 x 3 x 2, the unpacked path).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmark
{
    private float[] _af = [], _bf = [], _cf = [];
    private double[] _ad = [], _bd = [], _cd = [];
    private readonly float[] _tinyX = new float[400], _tinyW = new float[6], _tinyZ = new float[600];

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _af = new float[N * N]; _bf = new float[N * N]; _cf = new float[N * N];
        _ad = new double[N * N]; _bd = new double[N * N]; _cd = new double[N * N];
        for (int i = 0; i < N * N; i++) { _ad[i] = _af[i] = (float)rng.NextNormal(); _bd[i] = _bf[i] = (float)rng.NextNormal(); }
        for (int i = 0; i < _tinyX.Length; i++) _tinyX[i] = (float)rng.NextNormal();
        for (int i = 0; i < _tinyW.Length; i++) _tinyW[i] = (float)rng.NextNormal();
    }

    [Benchmark]
    public void Float32() => Gemm.Multiply(MatrixRef<float>.RowMajor(_af, N), MatrixRef<float>.RowMajor(_bf, N), _cf, N, N, N);

    [Benchmark]
    public void Float64() => Gemm.Multiply(MatrixRef<double>.RowMajor(_ad, N), MatrixRef<double>.RowMajor(_bd, N), _cd, N, N, N);

    [Benchmark]
    public void Float32TimesTransposed() => Gemm.Multiply(MatrixRef<float>.RowMajor(_af, N), MatrixRef<float>.TransposeOf(_bf, N), _cf, N, N, N);

    [Benchmark]
    public void TinyLayer() => Gemm.Multiply(MatrixRef<float>.RowMajor(_tinyX, 2), MatrixRef<float>.TransposeOf(_tinyW, 2), _tinyZ, 200, 3, 2);
}

internal static class KernelBench
{
    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<GemmBenchmark>(args: args);
        return 0;
    }
}
