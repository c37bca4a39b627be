namespace SymmetryLab.Lab;

/// <summary>
/// Independent pieces of work run side by side on the thread pool, with what a loop over them would
/// give: each piece writes its own result, and a failure is the lowest-numbered failing piece's own
/// exception (not an <see cref="AggregateException"/>, and not whichever failed first in time).
/// </summary>
internal static class SideBySide
{
    /// <summary>Runs <paramref name="piece"/>(0) ... (<paramref name="count"/> - 1), in parallel; rethrows the lowest failing one's exception.</summary>
    public static void For(int count, Action<int> piece)
    {
        var failed = new Exception?[count];
        Parallel.For(0, count, k =>
        {
            try
            {
                piece(k);
            }
            catch (Exception e)
            {
                failed[k] = e;
            }
        });
        if (failed.FirstOrDefault(e => e is not null) is { } first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }
}
