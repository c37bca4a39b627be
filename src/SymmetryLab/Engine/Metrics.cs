namespace SymmetryLab.Engine;

/// <summary>Accuracy: a sigmoid output is class 1 at a &gt;= 0.5; several outputs pick the largest.</summary>
public static class Metrics
{
    /// <summary>
    /// Correct rows of <paramref name="outputs"/>; with <paramref name="lanes"/> &gt; 1 the outputs of that many
    /// networks are interleaved (output i of network s at i * lanes + s, as in SeedBatchTrainer) and
    /// <paramref name="lane"/> picks one.
    /// </summary>
    public static int CountCorrect<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int width, int lanes = 1, int lane = 0)
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
            if (best == ArgMax(t)) correct++;
        }
        return correct;
    }

    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
            if (values[k] > values[best]) best = k;
        return best;
    }
}
