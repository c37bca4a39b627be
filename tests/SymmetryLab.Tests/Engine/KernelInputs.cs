using System.Runtime.InteropServices;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// Inputs and comparisons for the element-wise kernel tests: every length from 1 to 67 (one element, vector
/// bodies of 2, 4, 8 and 16 lanes with every possible tail, and an overlapping last vector), values that
/// reach every branch, and a comparison of bits rather than of values (+0 and -0 differ, as in a model file).
/// </summary>
internal static class KernelInputs
{
    public const int MaxLength = 67;

    public static IEnumerable<object[]> Lengths => Enumerable.Range(1, MaxLength).Select(n => new object[] { n });

    /// <summary>Values that reach the branches of the kernels: signed zeros, subnormals, tiny and huge, the tanh split, the exp limits.</summary>
    private static readonly double[] Specials =
    [
        0.0, -0.0, 1e-40, -1e-40, 1e-310, 1e-30, -1e-30, 0.5, -0.5, 0.625, -0.625, 1, -1, 20, -20, 88.7, -88.7, 104, -104, 710, -746, 1e30, -1e30,
    ];

    /// <summary>
    /// <paramref name="count"/> values from <paramref name="seed"/>: mostly normal numbers over four decades, a
    /// quarter from <see cref="Specials"/>, and (when <paramref name="nonFinite"/>) now and then an infinity or NaN.
    /// </summary>
    public static T[] Values<T>(int count, int seed, bool specials = true, bool nonFinite = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)seed);
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            double v = rng.NextNormal() * Math.Pow(10, rng.NextDouble() * 4 - 2);
            if (specials && rng.NextInt(4) == 0) v = Specials[rng.NextInt(Specials.Length)];
            if (nonFinite && rng.NextInt(16) == 0) v = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }[rng.NextInt(3)];
            values[i] = T.CreateSaturating(v);
        }
        return values;
    }

    /// <summary>Numbers in [low, high), for inputs with a range (probabilities, targets).</summary>
    public static T[] Uniform<T>(int count, int seed, double low, double high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)seed);
        return [.. Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.NextUniform(low, high)))];
    }

    /// <summary>Whether two numbers have the same bits; any two NaNs count as equal (no kernel promises a NaN's payload).</summary>
    public static bool SameBits<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> =>
        (T.IsNaN(x) && T.IsNaN(y)) || MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in x)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in y)));

    /// <summary>Asserts <paramref name="actual"/> has the bits of <paramref name="expected"/> element by element, naming the first that differs.</summary>
    public static void AssertSameBits<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            if (!SameBits(expected[i], actual[i]))
                Assert.Fail($"{typeof(T).Name} {what}, element {i} of {expected.Length}: {Text(actual[i])} from the kernel, {Text(expected[i])} from the scalar loop");
    }

    private static string Text<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsZero(v) && T.IsNegative(v) ? "-0" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
