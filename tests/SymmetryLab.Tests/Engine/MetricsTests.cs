using SymmetryLab.Engine;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

public class MetricsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(200)]
    public void OneOutputIsRightWhenBothSidesOfAHalfAgree(int rows)
    {
        var rng = new Rng((ulong)rows);
        var outputs = Enumerable.Range(0, rows).Select(_ => (float)rng.NextDouble()).ToArray();
        outputs[0] = 0.5f; // counts as class 1
        var targets = Enumerable.Range(0, rows).Select(r => (float)(r % 3 == 0 ? 1 : 0)).ToArray();
        int expected = 0;
        for (int r = 0; r < rows; r++)
            if ((outputs[r] >= 0.5f ? 1 : 0) == (int)targets[r]) expected++;
        Assert.Equal(expected, Metrics.CountCorrect<float>(outputs, targets, rows, 1));
        Assert.Equal(expected, Metrics.CountCorrect<double>(outputs.Select(v => (double)v).ToArray(), targets.Select(v => (double)v).ToArray(), rows, 1));
    }
}
