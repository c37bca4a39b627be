using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

public class WorkerPoolTests
{
    private sealed class CountJob(int[] hits) : IRangeJob
    {
        public void Execute(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryItemRunsExactlyOnceOverManyQuickForks(int threads)
    {
        // Back-to-back runs (workers spinning) and runs after a pause (workers asleep), with fewer
        // items than threads in between.
        using var pool = new WorkerPool(threads);
        var hits = new int[7];
        var job = new CountJob(hits);
        int runs = 0;
        for (int round = 0; round < 20_000; round++)
        {
            int count = 1 + round % 7;
            pool.Run(job, count);
            for (int i = 0; i < count; i++) hits[i]--;
            runs++;
            if (round % 5000 == 0) Thread.Sleep(2);
        }
        Assert.All(hits, h => Assert.Equal(0, h));
        Assert.Equal(20_000, runs);
    }
}
