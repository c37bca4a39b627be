namespace SymmetryLab.Engine;

/// <summary>Accuracy: a sigmoid output is class 1 at a &gt;= 0.5; several outputs pick the largest.</summary>
public static class Metrics
{
    /// <summary>
    /// How many of <paramref name="rows"/> rows of <paramref name="outputs"/> (rows x <paramref name="width"/>)
    /// predict the class of <paramref name="targets"/> (the same shape): one output is class 1 at a &gt;= 0.5,
    /// several pick the largest (the first on a tie).
    /// </summary>
    public static int CountCorrect<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int correct = 0;
        T half = T.CreateChecked(0.5);
        if (width == 1)
        {
            // One sigmoid output per row, a vector of rows at a time: right when both sides of 0.5 agree.
            int w = Vector<T>.Count, r0 = 0;
            var vHalf = new Vector<T>(half);
            var counts = Vector<T>.Zero; // whole numbers, exact far beyond any batch
            for (; r0 + w <= rows; r0 += w)
            {
                // The comparisons give all-ones or all-zeros lanes: equal masks are those whose xor is zero.
                var agree = Vector.OnesComplement(Vector.Xor(Vector.GreaterThanOrEqual(new Vector<T>(outputs[r0..]), vHalf), Vector.GreaterThanOrEqual(new Vector<T>(targets[r0..]), vHalf)));
                counts += Vector.ConditionalSelect(agree, Vector<T>.One, Vector<T>.Zero);
            }
            correct = int.CreateChecked(Vector.Sum(counts));
            for (; r0 < rows; r0++)
                if ((outputs[r0] >= half) == (targets[r0] >= half)) correct++;
            return correct;
        }
        for (int r = 0; r < rows; r++)
            if (ArgMax(outputs.Slice(r * width, width)) == ArgMax(targets.Slice(r * width, width))) correct++;
        return correct;
    }

    /// <summary>
    /// The class each row of <paramref name="outputs"/> (rows x <paramref name="width"/>) predicts, by the
    /// rule accuracy counts with: one output is class 1 at a &gt;= 0.5, else 0; several pick the largest.
    /// </summary>
    public static int[] Classes<T>(ReadOnlySpan<T> outputs, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var classes = new int[outputs.Length / width];
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < classes.Length; r++)
            classes[r] = width == 1 ? (outputs[r] >= half ? 1 : 0) : ArgMax(outputs.Slice(r * width, width));
        return classes;
    }

    /// <summary>The index of the largest value (the first on a tie).</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
            if (values[k] > values[best]) best = k;
        return best;
    }
}
