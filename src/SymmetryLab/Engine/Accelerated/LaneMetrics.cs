namespace SymmetryLab.Engine.Accelerated;

/// <summary><see cref="Metrics.CountCorrect"/> for the outputs of <c>lanes</c> networks interleaved as in <see cref="LaneLosses"/>.</summary>
internal static class LaneMetrics
{
    /// <summary>Correct rows of network <paramref name="lane"/>, whose output i sits at <c>outputs[i * lanes + lane]</c>.</summary>
    public static int CountCorrect<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int width, int lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int correct = 0;
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < rows; r++)
        {
            var t = targets.Slice(r * width, width);
            if (width == 1)
            {
                if ((outputs[r * lanes + lane] >= half) == (t[0] >= half)) correct++;
                continue;
            }
            int best = 0;
            for (int k = 1; k < width; k++)
                if (outputs[(r * width + k) * lanes + lane] > outputs[(r * width + best) * lanes + lane]) best = k;
            if (best == Metrics.ArgMax(t)) correct++;
        }
        return correct;
    }
}
