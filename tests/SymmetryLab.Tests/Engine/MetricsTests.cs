using SymmetryLab.Engine;
using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// Accuracy counts against a loop written here, for every number of rows 1 to 67 (the one-output count
/// runs a vector of rows at a time, then a tail), float and double, and on every CPU path.
/// </summary>
public class MetricsTests
{
    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void OneOutputIsRightWhenBothSidesOfAHalfAgree(int rows)
    {
        var rng = new Rng((ulong)rows);
        var outputs = Enumerable.Range(0, rows).Select(_ => (float)rng.NextDouble()).ToArray();
        outputs[0] = 0.5f; // counts as class 1
        if (rows > 2) outputs[2] = float.NaN; // class 0: NaN >= 0.5 is false
        var targets = Enumerable.Range(0, rows).Select(r => (float)(r % 3 == 0 ? 1 : 0)).ToArray();
        int expected = 0;
        for (int r = 0; r < rows; r++)
            if ((outputs[r] >= 0.5f ? 1 : 0) == (int)targets[r]) expected++;
        Assert.Equal(expected, Metrics.CountCorrect<float>(outputs, targets, rows, 1));
        Assert.Equal(expected, Metrics.CountCorrect<double>(outputs.Select(v => (double)v).ToArray(), targets.Select(v => (double)v).ToArray(), rows, 1));
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void SeveralOutputsPickTheLargestInTheirLane(int rows)
    {
        const int width = 3, lanes = 4;
        var rng = new Rng((ulong)(100 + rows));
        var outputs = Enumerable.Range(0, rows * width * lanes).Select(_ => rng.NextDouble()).ToArray();
        var targets = new double[rows * width];
        for (int r = 0; r < rows; r++) targets[r * width + rng.NextInt(width)] = 1;
        for (int lane = 0; lane < lanes; lane++)
        {
            int expected = 0;
            for (int r = 0; r < rows; r++)
            {
                int best = 0;
                for (int k = 1; k < width; k++)
                    if (outputs[(r * width + k) * lanes + lane] > outputs[(r * width + best) * lanes + lane]) best = k;
                if (targets[r * width + best] == 1) expected++;
            }
            Assert.Equal(expected, LaneMetrics.CountCorrect<double>(outputs, targets, rows, width, lanes, lane));
        }
    }
}
