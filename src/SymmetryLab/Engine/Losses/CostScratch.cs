namespace SymmetryLab.Engine.Losses;

/// <summary>Per-thread scratch for the costs' double-precision terms, grown once (the training step allocates nothing).</summary>
internal static class CostScratch
{
    [ThreadStatic] private static double[][]? _buffers;

    /// <summary>Buffer number <paramref name="which"/> (0..2) of this thread, at least <paramref name="n"/> doubles.</summary>
    public static Span<double> Get(int n, int which = 0)
    {
        var buffers = _buffers ??= [[], [], []];
        if (buffers[which].Length < n) buffers[which] = new double[Math.Max(n, 256)];
        return buffers[which].AsSpan(0, n);
    }
}
