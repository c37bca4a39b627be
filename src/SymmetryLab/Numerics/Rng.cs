namespace SymmetryLab.Numerics;

/// <summary>
/// The project's own pseudo-random generator, so that a seed means the same numbers on every .NET
/// version (System.Random's algorithm is not a promise).
/// </summary>
/// <remarks>
/// Algorithm (version 2): xoshiro256** (Blackman and Vigna, 2018) whose 256-bit state is filled by
/// SplitMix64 from the 64-bit seed. Uniform doubles take the top 53 bits: u = (x &gt;&gt; 11) * 2^-53,
/// in [0, 1). Normal draws use the basic Box-Muller transform, one pair of uniforms per draw:
/// n = sqrt(-2 ln(1 - u1)) * cos(2 pi u2), with ln and cos our own, correctly rounded
/// (<see cref="CorrectlyRoundedLog"/>, <see cref="CorrectlyRoundedCos"/>), since the C library's log and
/// cos, which Math.Log and Math.Cos call, differ in the last bit between platforms and even between CPUs.
/// Version 1 drew the same uniforms but took ln and cos from Math.Log and Math.Cos: on the machine that
/// measured it, glibc's last bit differed from the correctly rounded one for 0.16% of normal draws (10^8
/// draws), so a weight drawn from a normal can differ by an ulp or so between the versions.
/// Bounded integers use Lemire's multiply-and-reject, so they are unbiased. Independent streams (initialization, shuffling, dropout) come from <see cref="Stream"/>,
/// which seeds a fresh generator from the seed and a stream number.
/// </remarks>
public sealed class Rng
{
    /// <summary>Recorded in every run so that a result can be traced to the exact generator.</summary>
    public const string Algorithm = "xoshiro256**/splitmix64 v2 (normals: Box-Muller, correctly rounded ln and cos)";

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose state SplitMix64 fills from <paramref name="seed"/>: the same seed, the same numbers.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for one purpose of one run: same (seed, stream), same numbers.</summary>
    public static Rng Stream(ulong seed, RngStream stream)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * ((ulong)stream + 1));
        return new Rng(SplitMix64(ref x));
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 bits of xoshiro256**.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Normal with the given mean and standard deviation (Box-Muller, no cached pair).</summary>
    public double NextNormal(double mean = 0, double std = 1)
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: ln never sees 0
        double u2 = NextDouble();
        return mean + std * Math.Sqrt(-2.0 * CorrectlyRoundedLog.Log(u1)) * CorrectlyRoundedCos.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Uniform integer in [0, n), unbiased (Lemire 2019).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong bound = (ulong)n;
        ulong product = (NextUInt64() >> 32) * bound;
        ulong low = (uint)product;
        if (low < bound)
        {
            ulong threshold = (uint)(-(long)bound) % (uint)bound;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Fisher-Yates shuffle, from the last element down.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>The purposes a run draws random numbers for; each has its own stream.</summary>
public enum RngStream
{
    /// <summary>The starting weights and biases.</summary>
    Initialization = 0,

    /// <summary>The order of the rows in each epoch of minibatch training.</summary>
    Shuffle = 1,

    /// <summary>The dropout masks.</summary>
    Dropout = 2,

    /// <summary>The train/test split of a data set.</summary>
    Split = 3,

    /// <summary>A perturbation added to the starting weights (the lab's symmetry-breaking experiments).</summary>
    Perturbation = 4,

    /// <summary>The rows of a generated data set.</summary>
    Generator = 5,
}
