using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>The matrix product alone (C = A B^T, n x n x n), single thread, float32 and float64.</summary>
[MemoryDiagnoser]
public class GemmBenchmark
{
    private float[] _af = [], _bf = [], _cf = [];
    private double[] _ad = [], _bd = [], _cd = [];

    [Params(256, 512, 1024)]
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
    public void Float32() => Gemm.MultiplyTransposed<float>(_af, _bf, _cf, N, N, 0, N);

    [Benchmark]
    public void Float64() => Gemm.MultiplyTransposed<double>(_ad, _bd, _cd, N, N, 0, N);
}

internal static class KernelBench
{
    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<GemmBenchmark>(args: args);
        return 0;
    }
}
