using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// What the pool promises: by the time Run returns, every item of [0, count) has run exactly once, in
/// min(threads, count) contiguous shares [count p / parts, count (p + 1) / parts), none of them late into
/// the next run; a share that throws makes Run throw, and the pool goes on working.
/// </summary>
public class WorkerPoolTests
{
    /// <summary>Records, per item, how often it ran, and each range it was handed.</summary>
    private sealed class RecordingJob(int capacity) : IRangeJob
    {
        public readonly int[] Hits = new int[capacity];
        public readonly List<(int Start, int End)> Ranges = [];

        public void Execute(int start, int end)
        {
            lock (Ranges) Ranges.Add((start, end));
            for (int i = start; i < end; i++) Interlocked.Increment(ref Hits[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryItemHasRunOnceInItsShareWhenRunReturns(int threads)
    {
        // Back-to-back runs (workers spinning) and runs after a pause (workers asleep), with fewer
        // items than threads in between. Each run is checked as soon as Run returns, before the next
        // starts: an item still running, run twice or skipped, or a worker lagging into the next run,
        // shows in that run's counts.
        using var pool = new WorkerPool(threads);
        var job = new RecordingJob(64);
        for (int round = 0; round < 20_000; round++)
        {
            int count = 1 + round % 11 + (round % 97 == 0 ? 50 : 0);
            pool.Run(job, count);
            for (int i = 0; i < job.Hits.Length; i++)
                if (job.Hits[i] != (i < count ? 1 : 0))
                    Assert.Fail($"round {round}, {count} items on {threads} threads: item {i} ran {job.Hits[i]} times when Run returned");
            int parts = Math.Min(threads, count);
            job.Ranges.Sort();
            bool shares = job.Ranges.Count == parts;
            for (int p = 0; shares && p < parts; p++) shares = job.Ranges[p] == (count * p / parts, count * (p + 1) / parts);
            if (!shares) Assert.Fail($"round {round}, {count} items on {threads} threads: ranges {string.Join(" ", job.Ranges)}, not {parts} equal shares");
            Array.Clear(job.Hits);
            job.Ranges.Clear();
            if (round % 5000 == 0) Thread.Sleep(2);
        }
    }

    [Fact]
    public void InlineRunsTakeTheWholeRangeOnTheCallingThread()
    {
        using var pool = new WorkerPool(2);
        var job = new RecordingJob(8);
        pool.Run(job, 8, parallel: false);
        Assert.Equal([(0, 8)], job.Ranges);
        pool.Run(job, 0);
        pool.Run(job, -3);
        Assert.Single(job.Ranges);
        Assert.All(job.Hits, h => Assert.Equal(1, h));
    }

    /// <summary>Each share runs <paramref name="inner"/> on the same pool from inside the job.</summary>
    private sealed class NestingJob(WorkerPool pool, RecordingJob inner) : IRangeJob
    {
        public readonly List<int> InnerThreads = [];

        public void Execute(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                pool.Run(inner, 4);
                lock (InnerThreads) InnerThreads.Add(Environment.CurrentManagedThreadId);
            }
        }
    }

    [Fact]
    public async Task ARunFromInsideTheSamePoolsJobRunsOnThatThreadAlone()
    {
        // The pool's other threads are busy with the outer job: waiting for them would never end
        // (a share of the outer job holding the pool's lock, the other blocked on it).
        using var pool = new WorkerPool(2);
        var inner = new RecordingJob(4);
        var outer = new NestingJob(pool, inner);
        var run = Task.Run(() => pool.Run(outer, 2));
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
        await run;
        Assert.Equal([(0, 4), (0, 4)], inner.Ranges);
        Assert.All(inner.Hits, h => Assert.Equal(2, h));
        Assert.Equal(2, outer.InnerThreads.Distinct().Count());
        // And the pool still runs in parallel afterwards.
        var job = new RecordingJob(10);
        pool.Run(job, 10);
        Assert.Equal(2, job.Ranges.Count);
    }

    private sealed class ThrowingJob(int failAt) : IRangeJob
    {
        public void Execute(int start, int end)
        {
            if (start <= failAt && failAt < end) throw new InvalidOperationException($"item {failAt}");
        }
    }

    [Fact]
    public void AShareThatThrowsMakesRunThrowAndThePoolGoesOn()
    {
        using var pool = new WorkerPool(2);
        // Item 9 is in the worker's share (items 5-9), not the caller's.
        var error = Assert.Throws<AggregateException>(() => pool.Run(new ThrowingJob(9), 10));
        Assert.Equal("item 9", Assert.IsType<InvalidOperationException>(error.InnerException).Message);
        var job = new RecordingJob(10);
        pool.Run(job, 10);
        Assert.All(job.Hits, h => Assert.Equal(1, h));
    }
}
