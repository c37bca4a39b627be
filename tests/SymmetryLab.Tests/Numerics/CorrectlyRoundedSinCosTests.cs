using System.Numerics;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// CorrectlyRoundedSin and CorrectlyRoundedCos over every finite double against <see cref="LnCosReference"/>
/// (400-bit, Taylor series at x or at x - 2 pi k with a 1,700-bit pi by another formula): every result is the
/// reference's double, on random arguments in each range the generators use (circles [0, 2 pi), moons
/// [0, pi], spirals [-1, 401], derived features any double), on the hard cases (near multiples of pi/2, the
/// double closest to one, tiny, subnormal, huge, both sides of the 2^20 switch to the exact reduction)
/// and with either sign; the fast pairs stay well inside the bound their rounding test trusts; and the
/// exact fallback agrees wherever it is asked.
/// </summary>
public class CorrectlyRoundedSinCosTests
{
    /// <summary>The double closest to a multiple of pi/2 (about 2^-61 away): 6381956970095103 2^797 (Muller, Elementary Functions, table 11.1).</summary>
    private static readonly double Hardest = Math.ScaleB(6381956970095103.0, 797);

    /// <summary>Random arguments in each range the generators use, and random doubles of every size (random exponent and bits).</summary>
    public static IEnumerable<double> RandomInputs()
    {
        var rng = new Rng(20261207);
        for (int i = 0; i < 1000; i++) yield return 2.0 * Math.PI * rng.NextDouble(); // circles
        for (int i = 0; i < 500; i++) yield return Math.PI * rng.NextDouble(); // moons
        for (int i = 0; i < 800; i++) yield return 402 * rng.NextDouble() - 1; // spirals: arms up to 100 classes, with noise
        for (int i = 0; i < 500; i++) yield return 20 * rng.NextDouble() - 10; // derived features on typical data
        for (int i = 0; i < 1500; i++)
        {
            // Any finite double: a uniform exponent and random bits, either sign.
            ulong bits = (rng.NextUInt64() & 0x800FFFFFFFFFFFFFUL) | ((ulong)(rng.NextDouble() * 2047) << 52);
            yield return BitConverter.UInt64BitsToDouble(bits);
        }
    }

    /// <summary>Arguments where sin or cos is hard: tiny results, huge or tiny arguments, the paths' edges.</summary>
    public static IEnumerable<double> HardInputs()
    {
        // The doubles nearest k pi/2 (k up to 64 and some large k), with 8 neighbours each side.
        foreach (double k in Enumerable.Range(1, 64).Select(k => (double)k).Concat([1000, 12345, 1e6, 667544, 1e9]))
        {
            double x = k * Math.PI / 2;
            for (int step = 0; step < 8; step++) x = Math.BitDecrement(x);
            for (int step = 0; step <= 16; step++, x = Math.BitIncrement(x)) yield return x;
        }
        foreach (double x in new[] { Hardest, Math.BitIncrement(Hardest), Math.BitDecrement(Hardest) }) yield return x;
        // Both sides of 2^20 (the switch to the exact reduction), powers of two from 2^-1074 to 2^1023, the largest double.
        foreach (double x in new[] { TrigReduction.CodyWaiteLimit, Math.BitDecrement(TrigReduction.CodyWaiteLimit), Math.BitIncrement(TrigReduction.CodyWaiteLimit), double.MaxValue, Math.BitDecrement(double.MaxValue) }) yield return x;
        for (int e = -1074; e <= 1023; e += 7) yield return Math.ScaleB(1.0, e);
        // Tiny: around 2^-26 (where sin starts rounding to x) and 2^-27 (cos to 1), and subnormals.
        foreach (double edge in new[] { Math.ScaleB(1.0, -26), Math.ScaleB(1.0, -27), 1.0 / 3e7 })
        {
            yield return edge;
            yield return Math.BitIncrement(edge);
            yield return Math.BitDecrement(edge);
        }
        foreach (double x in new[] { 1e-300, 1e-310, double.Epsilon, 2.2250738585072014E-308, 1e-8, 1e-5, 0.1, 1, 8, 100, 1e22, 1e300 }) yield return x;
    }

    private static IEnumerable<double> AllInputs() => RandomInputs().Concat(HardInputs()).SelectMany(x => new[] { x, -x });

    /// <summary>Each input with its reference sin and cos, rounded, computed once (a few seconds).</summary>
    private static readonly Lazy<(double X, double Sin, double Cos)[]> Cases = new(() =>
        [.. AllInputs().Select(x => (x, LnCosReference.RoundSin(LnCosReference.SinFixed(x)), LnCosReference.RoundCos(LnCosReference.CosFixed(x))))]);

    [Fact]
    public void SinIsTheReferenceDoubleForEveryInput()
    {
        var wrong = Cases.Value.Where(c => !SameBits(CorrectlyRoundedSin.Sin(c.X), c.Sin)).Take(5).ToList();
        Assert.True(wrong.Count == 0, "sin differs from the reference at " + string.Join(", ", wrong.Select(c => c.X.ToString("R"))));
    }

    [Fact]
    public void CosIsTheReferenceDoubleForEveryInput()
    {
        var wrong = Cases.Value.Where(c => !SameBits(CorrectlyRoundedCos.Cos(c.X), c.Cos)).Take(5).ToList();
        Assert.True(wrong.Count == 0, "cos differs from the reference at " + string.Join(", ", wrong.Select(c => c.X.ToString("R"))));
    }

    /// <summary>The rounding test trusts the pairs to 2^-72 relative (plus the reduction's absolute bound): check 2^-75 wherever the pair is used.</summary>
    [Fact]
    public void FastPairsAreWithinTheirErrorBound()
    {
        double worstSin = 0, worstCos = 0;
        foreach (var c in Cases.Value.Where(c => c.X > 1.0 / 67108864))
        {
            worstSin = Math.Max(worstSin, RelativeError(CorrectlyRoundedSin.DoubleDouble(c.X), LnCosReference.SinFixed(c.X)));
            worstCos = Math.Max(worstCos, RelativeError(CorrectlyRoundedCos.DoubleDouble(c.X), (LnCosReference.CosFixed(c.X), LnCosReference.Bits)));
        }
        Assert.True(worstSin < Math.ScaleB(1.0, -75), $"sin's pair is off by 2^{Math.Log2(worstSin):F1}");
        Assert.True(worstCos < Math.ScaleB(1.0, -75), $"cos's pair is off by 2^{Math.Log2(worstCos):F1}");
    }

    /// <summary>The exact fallback, asked directly (the fast path rarely leaves it anything), on every 7th input and the hardest.</summary>
    [Fact]
    public void ExactFallbackIsTheReferenceDouble()
    {
        var asked = Cases.Value.Where((c, i) => c.X >= 1.0 / 67108864 && (i % 7 == 0 || c.X == Hardest));
        Assert.All(asked, c =>
        {
            Assert.Equal(c.Sin, FixedPointLnCos.Sin(c.X));
            Assert.Equal(c.Cos, FixedPointLnCos.Cos(c.X));
        });
    }

    [Fact]
    public void SpecialValuesAreThoseOfMathSinAndCos()
    {
        foreach (double x in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Assert.True(double.IsNaN(CorrectlyRoundedSin.Sin(x)), $"sin({x})");
            Assert.True(double.IsNaN(CorrectlyRoundedCos.Cos(x)), $"cos({x})");
        }
        Assert.True(SameBits(-0.0, CorrectlyRoundedSin.Sin(-0.0)), "sin(-0) is -0");
        Assert.True(SameBits(0.0, CorrectlyRoundedSin.Sin(0.0)), "sin(+0) is +0");
        Assert.Equal(1.0, CorrectlyRoundedCos.Cos(-0.0));
        Assert.Equal(-double.Epsilon, CorrectlyRoundedSin.Sin(-double.Epsilon));
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static double RelativeError((double High, double Low) pair, (BigInteger Value, int Scale) reference)
    {
        int shift = reference.Scale - LnCosReference.Bits;
        var difference = (LnCosReference.ToFixed(pair.High) + LnCosReference.ToFixed(pair.Low) << shift) - reference.Value;
        return Math.Abs((double)difference / (double)BigInteger.Abs(reference.Value));
    }
}
