using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Numerics;
using static SymmetryLab.Tests.Engine.KernelInputs;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// The optimizers' updates against their rules written here as plain scalar loops, for every tensor length
/// 1 to 67 and for a tensor split over two threads, float and double, every element bit for bit (the
/// optimizers promise each element the same roundings in a vector body, a scalar tail or any slice, so that
/// equal parameters stay equal). The rules are PyTorch's (OptimizerTests checks them against torch's
/// documented algorithms), in the operation order the optimizers document, with state below the smallest
/// normal number set to zero (Subnormals): the gradients include subnormal and tiny numbers that reach it.
/// </summary>
public class OptimizerKernelTests
{
    private const double LearningRate = 0.01;
    private const int Steps = 5;

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void UpdatesGiveTheScalarBits(int n)
    {
        foreach (var name in Optimizer<float>.Names)
        {
            Check<float>(name, n, threads: 1);
            Check<double>(name, n, threads: 1);
        }
    }

    /// <summary>
    /// Past <see cref="Optimizer{T}.ParallelThreshold"/> a tensor is updated in slices on two threads: every
    /// element, not only one, must still have the scalar rule's bits (an odd length: slices, bodies and tails).
    /// </summary>
    [Fact, EveryCpuPath]
    public void UpdatesSplitOverThreadsGiveTheScalarBitsForEveryElement()
    {
        int n = 3 * Optimizer<float>.ParallelThreshold + 3;
        foreach (var name in new[] { "adam", "momentum", "sgd" })
        {
            Check<float>(name, n, threads: 2);
            Check<double>(name, n, threads: 2);
        }
    }

    private static void Check<T>(string name, int n, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var optimizer = Optimizer<T>.Create(name, LearningRate);
        optimizer.Register(0, n);
        var w = Values<T>(n, 31 * n + name.Length);
        var expected = (T[])w.Clone();
        var m = new T[n];
        var v = new T[n];
        for (int t = 1; t <= Steps; t++)
        {
            var g = Gradients<T>(n, 1000 * t + n);
            optimizer.BeginStep();
            optimizer.Update(0, w, g, WorkerPool.ForThreads(threads));
            for (int i = 0; i < n; i++)
                expected[i] = name switch
                {
                    "adam" => Adam(expected[i], g[i], ref m[i], ref v[i], t),
                    "momentum" => Momentum(expected[i], g[i], ref m[i]),
                    _ => expected[i] - T.CreateChecked(LearningRate) * g[i],
                };
            AssertSameBits<T>(expected, w, $"{name} step {t}, {n} parameters on {threads} thread(s)");
        }
    }

    /// <summary>Gradients of every size, a quarter of them tiny: around and below the smallest normal number, and below Adam's floor for g^2.</summary>
    private static T[] Gradients<T>(int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] tiny = [0, 1e-40, -1e-40, 2e-38, -2e-38, 1e-20, -1e-20, 1e-160, -1e-160, 1e-306, -1e-306, 1e-310, -1e-310];
        var g = Values<T>(n, seed);
        var rng = new Rng((ulong)seed);
        for (int i = 0; i < n; i++)
            if (rng.NextInt(4) == 0) g[i] = T.CreateChecked(tiny[rng.NextInt(tiny.Length)]);
        return g;
    }

    /// <summary>
    /// torch.optim.Adam: m := b1 m + (1 - b1) g (as torch's lerp, m + (g - m)(1 - b1)), v := b2 v + (1 - b2) g^2,
    /// w := w - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps), the corrections in double (with the C
    /// library's pow here, the engine's own ExactPower there); m or v below the smallest normal number is 0,
    /// and so is the g^2 term of a gradient below 2^-57 (float) or 2^-505 (double), whose (1 - b2) g^2 is not normal.
    /// </summary>
    private static T Adam<T>(T w, T g, ref T m, ref T v, int t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateChecked(0.9), b2 = T.CreateChecked(0.999), eps = T.CreateChecked(1e-8);
        T stepSize = T.CreateChecked(LearningRate / (1 - Math.Pow(0.9, t)));
        T sqrtCorrection2 = T.CreateChecked(Math.Sqrt(1 - Math.Pow(0.999, t)));
        m = Flush(m + (g - m) * (T.One - b1));
        T gs = T.Abs(g) < T.CreateChecked(Math.Pow(2, typeof(T) == typeof(float) ? -57 : -505)) ? T.Zero : g;
        v = Flush(b2 * v + (T.One - b2) * gs * gs);
        return w - stepSize * (m / (T.Sqrt(v) / sqrtCorrection2 + eps));
    }

    /// <summary>torch.optim.SGD with momentum 0.9: v := 0.9 v + g (v is 0 before the first step, so it starts at g); w := w - lr v.</summary>
    private static T Momentum<T>(T w, T g, ref T velocity) where T : unmanaged, IFloatingPointIeee754<T>
    {
        velocity = Flush(T.CreateChecked(0.9) * velocity + g);
        return w - T.CreateChecked(LearningRate) * velocity;
    }

    /// <summary>0 for a number below the smallest normal one (2^-126 in float, 2^-1022 in double).</summary>
    private static T Flush<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Abs(x) < T.CreateChecked(Math.Pow(2, typeof(T) == typeof(float) ? -126 : -1022)) ? T.Zero : x;
}
