using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// The element-wise functions with the same bits on every CPU path (ours) beside TensorPrimitives
/// (whose paths round differently), 4,096 elements: exp and sigmoid on [-4, 4], log(1+x) on [0, 4].
/// </summary>
public class ElementwiseBenchmark
{
    private const int N = 4096;
    private readonly double[] _xd = new double[N], _pd = new double[N], _yd = new double[N];
    private readonly float[] _xf = new float[N], _pf = new float[N], _yf = new float[N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        for (int i = 0; i < N; i++)
        {
            _xd[i] = 8 * rng.NextDouble() - 4; _pd[i] = Math.Abs(_xd[i]);
            _xf[i] = (float)_xd[i]; _pf[i] = (float)_pd[i];
        }
    }

    [Benchmark] public void ExpDouble() => ElementwiseMath.Exp<double>(_xd, _yd);
    [Benchmark] public void ExpDoubleTensorPrimitives() => TensorPrimitives.Exp<double>(_xd, _yd);
    [Benchmark] public void ExpFloat() => ElementwiseMath.Exp<float>(_xf, _yf);
    [Benchmark] public void ExpFloatTensorPrimitives() => TensorPrimitives.Exp<float>(_xf, _yf);
    [Benchmark] public void SigmoidDouble() => ElementwiseMath.Sigmoid<double>(_xd, _yd);
    [Benchmark] public void SigmoidDoubleTensorPrimitives() => TensorPrimitives.Sigmoid<double>(_xd, _yd);
    [Benchmark] public void SigmoidFloat() => ElementwiseMath.Sigmoid<float>(_xf, _yf);
    [Benchmark] public void SigmoidFloatTensorPrimitives() => TensorPrimitives.Sigmoid<float>(_xf, _yf);
    [Benchmark] public void TanhDouble() => ElementwiseMath.Tanh<double>(_xd, _yd);
    [Benchmark] public void TanhDoubleTensorPrimitives() => TensorPrimitives.Tanh<double>(_xd, _yd);
    [Benchmark] public void TanhFloat() => ElementwiseMath.Tanh<float>(_xf, _yf);
    [Benchmark] public void TanhFloatTensorPrimitives() => TensorPrimitives.Tanh<float>(_xf, _yf);
    [Benchmark] public void LogP1Double() => ElementwiseMath.LogP1<double>(_pd, _yd);
    [Benchmark] public void LogP1DoubleTensorPrimitives() => TensorPrimitives.LogP1<double>(_pd, _yd);
    [Benchmark] public void LogP1Float() => ElementwiseMath.LogP1<float>(_pf, _yf);
    [Benchmark] public void LogP1FloatTensorPrimitives() => TensorPrimitives.LogP1<float>(_pf, _yf);
}
