namespace SymmetryLab.Numerics;

/// <summary>A piece of work split over contiguous ranges [start, end) of its items.</summary>
public interface IRangeJob
{
    void Execute(int start, int end);
}

/// <summary>
/// A fixed set of worker threads that run one <see cref="IRangeJob"/> at a time, each thread on a
/// fixed contiguous share of the items. No allocation per run (unlike Parallel.For), so the training
/// step stays allocation-free; and since every item is computed by the same code whatever thread
/// takes it, results do not depend on the number of threads.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _start;
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

    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="job"/> over [0, count). Runs inline when there is one thread or when
    /// <paramref name="parallel"/> is false (work too small to be worth waking a thread).
    /// </summary>
    public void Run(IRangeJob job, int count, bool parallel = true)
    {
        if (count <= 0) return;
        int parts = Math.Min(Threads, count);
        if (!parallel || parts == 1)
        {
            job.Execute(0, count);
            return;
        }
        lock (_done)
        {
            _job = job;
            _count = count;
            _failure = null;
            _done.Reset(parts - 1);
            for (int w = 0; w < parts - 1; w++) _start[w].Release();
            var (start, end) = Share(0, parts, count);
            try
            {
                job.Execute(start, end);
            }
            finally
            {
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
        while (true)
        {
            _start[part - 1].Wait();
            if (_stopping) return;
            try
            {
                int parts = Math.Min(Threads, _count);
                var (start, end) = Share(part, parts, _count);
                _job!.Execute(start, end);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
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
