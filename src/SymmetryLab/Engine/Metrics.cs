namespace SymmetryLab.Engine;

/// <summary>Accuracy: a sigmoid output is class 1 at a &gt;= 0.5; several outputs pick the largest.</summary>
public static class Metrics
{
    public static int CountCorrect<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int correct = 0;
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < rows; r++)
        {
            var o = outputs.Slice(r * width, width);
            var t = targets.Slice(r * width, width);
            if (width == 1)
            {
                if ((o[0] >= half) == (t[0] >= half)) correct++;
            }
            else if (ArgMax(o) == ArgMax(t)) correct++;
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
