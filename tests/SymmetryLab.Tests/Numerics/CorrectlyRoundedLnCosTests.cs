using System.Numerics;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// CorrectlyRoundedLog and CorrectlyRoundedCos against <see cref="LnCosReference"/> (400-bit, other
/// algorithms): every result is the reference's double, on Box-Muller's own inputs (u1 = 1 - k 2^-53, the
/// double 2 pi u2) drawn from our Rng and on the hard cases; the fast pairs stay well inside the error
/// bound their rounding test trusts; and the exact fallback agrees wherever it is asked.
/// </summary>
public class CorrectlyRoundedLnCosTests
{
    private const double TwoTo53 = 9007199254740992.0;

    /// <summary>Box-Muller's u1 values: random ones from our generator, then the hard ones.</summary>
    public static IEnumerable<double> LogInputs()
    {
        var rng = new Rng(20261206);
        for (int i = 0; i < 1500; i++) yield return 1.0 - rng.NextDouble();
        // ln(u1) tiny: u1 just below 1; the smallest u1s; powers of two (ln x = e ln 2 exactly in reach).
        for (int k = 1; k <= 40; k++) yield return 1.0 - k / TwoTo53;
        for (int k = 1; k <= 40; k++) yield return k / TwoTo53;
        for (int j = 1; j <= 53; j++)
        {
            yield return Math.ScaleB(1.0, -j);
            yield return 1.0 - Math.ScaleB(1.0, -j);
        }
        // Both ends of every table interval (m = 1 + i/256), in [1/2, 1).
        for (int i = 1; i < 256; i++)
        {
            double edge = (1.0 + i / 256.0) / 2;
            yield return edge;
            yield return Math.BitDecrement(edge);
        }
        // Draws where glibc's log (Math.Log on the machine this was written on) is an ulp off.
        foreach (double x in new[] { 0.47026043731263867, 0.9192484794104985, 0.8745555917931296, 0.9448718232944247, 0.8487327211687684 }) yield return x;
        // Outside Box-Muller's inputs, still correctly rounded: above 1, subnormal, huge.
        foreach (double x in new[] { 1.0000000000000002, 1.5, 2, 10, 1e300, double.MaxValue, double.Epsilon, 1e-310, 2.2250738585072014E-308 }) yield return x;
    }

    /// <summary>Box-Muller's x = 2 pi u2: random ones, then those where cos is tiny or 1, and every table bucket.</summary>
    public static IEnumerable<double> CosInputs()
    {
        var rng = new Rng(7);
        for (int i = 0; i < 1500; i++) yield return 2.0 * Math.PI * rng.NextDouble();
        yield return 0;
        for (int k = 1; k <= 20; k++) yield return 2.0 * Math.PI * (k / TwoTo53);
        // The doubles nearest pi/2, pi, 3 pi/2, 2 pi and 5 pi/2, and 24 neighbours each side.
        for (int k = 1; k <= 5; k++)
        {
            double x = k * Math.PI / 2;
            for (int step = 0; step < 24; step++) x = Math.BitDecrement(x);
            for (int step = 0; step <= 48; step++, x = Math.BitIncrement(x)) yield return x;
        }
        // Every bucket (j pi/64) and both sides of every boundary between buckets ((j + 1/2) pi/64).
        for (int j = 0; j < 163; j++)
        {
            yield return (j + 0.25) * Math.PI / 64;
            double boundary = (j + 0.5) * Math.PI / 64;
            yield return boundary;
            yield return Math.BitIncrement(boundary);
        }
        // Draws where glibc's cos (Math.Cos on the machine this was written on) is an ulp off.
        foreach (double x in new[] { 0.3016577557830046, 4.4996246621743685, 4.57005373394842, 4.990635936620884, 1.7142230013488864 }) yield return x;
        yield return 8;
        yield return -1.5; // cos is even
    }

    /// <summary>Each input with its 400-bit reference and that rounded, computed once for all the tests (ln: about 3 s).</summary>
    private static readonly Lazy<(double X, BigInteger Exact, double Rounded)[]> Logs = new(() =>
        [.. LogInputs().Where(x => x != 1).Select(x => { var exact = LnCosReference.LnFixed(x); return (x, exact, LnCosReference.RoundLn(x, exact)); })]);

    private static readonly Lazy<(double X, BigInteger Exact, double Rounded)[]> Coses = new(() =>
        [.. CosInputs().Select(x => { var exact = LnCosReference.CosFixed(x); return (x, exact, LnCosReference.RoundCos(exact)); })]);

    [Fact]
    public void LogIsTheReferenceDoubleForEveryInput()
    {
        var wrong = Logs.Value.Where(c => CorrectlyRoundedLog.Log(c.X) != c.Rounded).Take(5).ToList();
        Assert.True(wrong.Count == 0, "ln differs from the reference at " + string.Join(", ", wrong.Select(c => c.X.ToString("R"))));
    }

    [Fact]
    public void CosIsTheReferenceDoubleForEveryInput()
    {
        var wrong = Coses.Value.Where(c => CorrectlyRoundedCos.Cos(c.X) != c.Rounded).Take(5).ToList();
        Assert.True(wrong.Count == 0, "cos differs from the reference at " + string.Join(", ", wrong.Select(c => c.X.ToString("R"))));
    }

    /// <summary>The rounding test trusts the pairs to 2^-72; the analyses say about 2^-78 (ln) and 2^-76 (cos): check 2^-75 on every input.</summary>
    [Fact]
    public void FastPairsAreWithinTheirErrorBound()
    {
        double worstLog = Logs.Value.Max(c => RelativeError(CorrectlyRoundedLog.DoubleDouble(c.X), c.Exact));
        double worstCos = Coses.Value.Max(c => RelativeError(CorrectlyRoundedCos.DoubleDouble(Math.Abs(c.X)), c.Exact));
        Assert.True(worstLog < Math.ScaleB(1.0, -75), $"ln's pair is off by 2^{Math.Log2(worstLog):F1}");
        Assert.True(worstCos < Math.ScaleB(1.0, -75), $"cos's pair is off by 2^{Math.Log2(worstCos):F1}");
    }

    /// <summary>The exact fallback, asked directly (the fast path rarely leaves it anything), on every 5th input.</summary>
    [Fact]
    public void ExactFallbackIsTheReferenceDouble()
    {
        Assert.All(Logs.Value.Where((c, i) => i % 5 == 0), c => Assert.Equal(c.Rounded, FixedPointLnCos.Log(c.X)));
        Assert.All(Coses.Value.Where((c, i) => i % 5 == 0 && c.X != 0), c => Assert.Equal(c.Rounded, FixedPointLnCos.Cos(Math.Abs(c.X))));
    }

    [Fact]
    public void SpecialValues()
    {
        Assert.Equal(0.0, CorrectlyRoundedLog.Log(1));
        Assert.Equal(double.NegativeInfinity, CorrectlyRoundedLog.Log(0));
        Assert.Equal(double.NegativeInfinity, CorrectlyRoundedLog.Log(-0.0));
        Assert.True(double.IsNaN(CorrectlyRoundedLog.Log(-1)));
        Assert.True(double.IsNaN(CorrectlyRoundedLog.Log(double.NaN)));
        Assert.Equal(double.PositiveInfinity, CorrectlyRoundedLog.Log(double.PositiveInfinity));
        Assert.Equal(1.0, CorrectlyRoundedCos.Cos(0));
        Assert.True(double.IsNaN(CorrectlyRoundedCos.Cos(double.NaN)));
        Assert.True(double.IsNaN(CorrectlyRoundedCos.Cos(double.PositiveInfinity))); // every finite x: CorrectlyRoundedSinCosTests
    }

    private static double RelativeError((double High, double Low) pair, BigInteger reference)
    {
        var difference = LnCosReference.ToFixed(pair.High) + LnCosReference.ToFixed(pair.Low) - reference;
        return Math.Abs((double)difference / (double)reference);
    }
}
