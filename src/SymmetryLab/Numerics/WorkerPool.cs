namespace SymmetryLab.Numerics;

/// <summary>A piece of work split over contiguous ranges [start, end) of its items.</summary>
internal interface IRangeJob
{
    void Execute(int start, int end);
}

/// <summary>
/// A fixed set of worker threads that run one <see cref="IRangeJob"/> at a time, each thread on a
/// fixed contiguous share of the items. No allocation per run (unlike Parallel.For), so the training
/// step stays allocation-free; and since every item is computed by the same code whatever thread
/// takes it, results do not depend on the number of threads.
/// </summary>
/// <remarks>
/// A training step forks and joins a dozen times within a millisecond, so an idle worker spins for a
/// short while (<see cref="SpinMicroseconds"/>) before it blocks: waking a blocked thread costs tens
/// of microseconds on a virtual machine, more than a small product takes. Past that it sleeps and
/// leaves the core to others.
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle thread polls for the next job (or the caller for the workers) before blocking.</summary>
    public const int SpinMicroseconds = 50;
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _start;
    private readonly int[] _sleeping;
    private int _generation;
    private readonly CountdownEvent _done;
    private IRangeJob? _job;
    private int _count;
    private volatile bool _stopping;
    private Exception? _failure;

    /// <summary>A pool that uses <paramref name="threads"/> threads in all, the caller's included.</summary>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _workers = new Thread[threads - 1];
        _start = new SemaphoreSlim[threads - 1];
        _sleeping = new int[threads - 1];
        _done = new CountdownEvent(1);
        for (int w = 0; w < _workers.Length; w++)
        {
            int part = w + 1;
            _start[w] = new SemaphoreSlim(0);
            _workers[w] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"symlab-worker-{part}" };
            _workers[w].Start();
        }
    }

    /// <summary>Pools keyed by size, created on first use and kept for the process.</summary>
    public static WorkerPool ForThreads(int threads)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(threads, out var pool))
            {
                pool = new WorkerPool(threads);
                Cache[threads] = pool;
            }
            return pool;
        }
    }

    private static readonly Dictionary<int, WorkerPool> Cache = new();

    /// <summary>The pool whose job this thread is running a part of, if any.</summary>
    [ThreadStatic]
    private static WorkerPool? t_running;

    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="job"/> over [0, count). Runs inline when there is one thread, when
    /// <paramref name="parallel"/> is false (work too small to be worth waking a thread), or when called
    /// from inside one of this pool's own jobs (its other threads are busy with that job: waiting for
    /// them would never end).
    /// </summary>
    public void Run(IRangeJob job, int count, bool parallel = true)
    {
        if (count <= 0) return;
        int parts = Math.Min(Threads, count);
        if (!parallel || parts == 1 || t_running == this)
        {
            job.Execute(0, count);
            return;
        }
        lock (_done)
        {
            _job = job;
            _count = count;
            _failure = null;
            _done.Reset(_workers.Length);
            // Full fences on both sides (Dekker): either the worker sees the new generation while
            // spinning or about to block, or we see it asleep and wake it.
            Interlocked.Increment(ref _generation);
            for (int w = 0; w < _workers.Length; w++)
                if (Volatile.Read(ref _sleeping[w]) == 1) _start[w].Release();
            var (start, end) = Share(0, parts, count);
            var outer = t_running;
            try
            {
                t_running = this;
                job.Execute(start, end);
            }
            finally
            {
                t_running = outer;
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (!_done.IsSet && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
                _done.Wait();
                _job = null;
            }
            if (_failure is not null) throw new AggregateException(_failure);
        }
    }

    private static (int Start, int End) Share(int part, int parts, int count)
    {
        long start = (long)count * part / parts;
        long end = (long)count * (part + 1) / parts;
        return ((int)start, (int)end);
    }

    private void WorkerLoop(int part)
    {
        int seen = 0;
        while (true)
        {
            int generation = Volatile.Read(ref _generation);
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (generation == seen && !_stopping && System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(8);
                generation = Volatile.Read(ref _generation);
            }
            if (generation == seen && !_stopping)
            {
                Interlocked.Exchange(ref _sleeping[part - 1], 1);
                // A stale count from an earlier wake-up only costs one more look at the generation.
                while ((generation = Volatile.Read(ref _generation)) == seen && !_stopping) _start[part - 1].Wait();
                Interlocked.Exchange(ref _sleeping[part - 1], 0);
            }
            seen = generation;
            if (_stopping) return;
            int parts = Math.Min(Threads, _count);
            try
            {
                // Fewer items than threads: this worker has no share, but still reports, so that no
                // worker can lag into the next job.
                if (part < parts)
                {
                    var (start, end) = Share(part, parts, _count);
                    t_running = this;
                    _job!.Execute(start, end);
                }
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                t_running = null;
                _done.Signal();
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var s in _start) s.Release();
    }
}
