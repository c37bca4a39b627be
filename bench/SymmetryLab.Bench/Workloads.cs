using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// The workloads W1..W5 of issue 7 and the matrix product alone, timed the way the peer scripts in
/// bench/peers time theirs: data and network built before the clock starts, training only, best of
/// a few repeats after a warm-up round. Prints one JSON record per (workload, precision, threads),
/// or with --summary the best float32 figure per workload as {"W1": {"value": X, "unit": ...}, ...}.
/// </summary>
internal static class Workloads
{
    private sealed record Record(string Workload, string Precision, int Threads, double Value, string Unit, double? Gflops = null)
    {
        /// <summary>Garbage collections (any generation) inside the clock of the timed rounds: 0 when training allocates nothing.</summary>
        public int Collections { get; } = _collections;
    }

    private static int _collections;

    /// <summary>
    /// --clock cpu: time the timed rounds by the calling thread's CPU time instead of the wall clock.
    /// Only at one thread (a worker's time would not be counted). On a loaded machine this leaves out
    /// the time the process waits for a core, the bulk of the spread there, and keeps what is ours
    /// (alignment, code quality, cache misses): what bench/compare --cpu-time uses to compare builds
    /// while others use the machine.
    /// </summary>
    private static bool _cpuClock;

    /// <summary>
    /// --each: print every timed repeat's seconds of W1..W5 to stderr (one JSON object a line), so that
    /// the spread within one process can be set beside the spread between processes (issue 17). --repeats
    /// sets how many there are; sgemm keeps its own count (the best of many products) and prints none.
    /// </summary>
    private static bool _each;

    public static int Run(string[] args)
    {
        bool summary = args.Contains("--summary");
        bool quick = args.Contains("--quick");
        var only = Option(args, "--workloads")?.Split(',') ?? ["W1", "W2", "W3", "W4", "W5", "sgemm"];
        int[] threads = (Option(args, "--threads") ?? "1,2").Split(',').Select(int.Parse).ToArray();
        // W3 and W4 run in both precisions unless --precision narrows them (bench/compare times float32 only).
        var precisions = Option(args, "--precision")?.Split(',') ?? ["float32", "float64"];
        int repeats = quick ? 1 : 3;
        if (Option(args, "--repeats") is { } r && (!int.TryParse(r, out repeats) || repeats < 1))
        {
            Console.Error.WriteLine($"--repeats: a whole number of at least 1, not '{r}'");
            return 2;
        }
        _each = args.Contains("--each");
        string clock = Option(args, "--clock") ?? "wall";
        if (clock is not ("wall" or "cpu") || (clock == "cpu" && threads.Any(t => t != 1)))
        {
            Console.Error.WriteLine($"--clock: 'wall', or 'cpu' with --threads 1 (the calling thread's time only), not '{clock}' at threads {string.Join(',', threads)}");
            return 2;
        }
        _cpuClock = clock == "cpu";
        // --sizes: sgemm's n (issue 17: n = 1000/1040 beside 1024 tells a power-of-two stride's cost).
        int[] sizes = [256, 512, 1024, 2048];
        if (Option(args, "--sizes") is { } z && !TryParseSizes(z, out sizes))
        {
            Console.Error.WriteLine($"--sizes: a comma-separated list of whole numbers from 1 to 8192, not '{z}'");
            return 2;
        }
        var records = new List<Record>();
        void Add(Record r)
        {
            records.Add(r);
            if (!summary) Console.WriteLine(Json(r));
        }
        foreach (var t in threads)
        {
            if (only.Contains("W1")) Add(new("W1", "float32", t, W1<float>(t, repeats), "steps/s"));
            if (only.Contains("W2")) Add(new("W2", "float32", t, W2<float>(t, repeats), "samples/s"));
            foreach (var precision in precisions)
            {
                if (only.Contains("W3"))
                {
                    var (rate, gflops) = precision == "float32" ? W3<float>(t, repeats, quick) : W3<double>(t, repeats, quick);
                    Add(new("W3", precision, t, rate, "samples/s", gflops));
                }
                if (only.Contains("W4"))
                {
                    double gflops = precision == "float32" ? W4<float>(t, repeats, quick) : W4<double>(t, repeats, quick);
                    Add(new("W4", precision, t, gflops, "GFLOP/s", gflops));
                }
            }
            if (only.Contains("W5")) Add(new("W5", "float32", t, W5(t, quick ? 100 : 1000, repeats), "s"));
            if (only.Contains("sgemm"))
                foreach (var n in sizes)
                    Add(new($"sgemm{n}", "float32", t, Sgemm(n, t), "GFLOP/s", null));
        }
        if (summary)
        {
            var best = records.Where(r => r.Precision == "float32").GroupBy(r => r.Workload)
                .Select(g => g.Unit() == "s" ? g.MinBy(r => r.Value)! : g.MaxBy(r => r.Value)!);
            Console.WriteLine("{" + string.Join(", ", best.Select(r => $"\"{r.Workload}\": {{\"value\": {Num(r.Value)}, \"unit\": \"{r.Unit}\", \"clock\": \"{Clock}\"}}")) + "}");
        }
        return 0;
    }

    /// <summary>
    /// The engine's own table (issue 2): W1, W2 and W3 in float32 and float64 side by side, at the
    /// machine's thread count, without the peers.
    /// </summary>
    public static int Table(string[] args)
    {
        bool quick = args.Contains("--quick");
        int threads = Environment.ProcessorCount, repeats = quick ? 1 : 3;
        Console.WriteLine($"SymmetryLab engine, {DateTime.UtcNow:yyyy-MM-dd}, {threads} cores and threads, Vector<float> = {Vector<float>.Count} lanes");
        Console.WriteLine($"{"workload",-52} {"float32",12} {"float64",12}  unit");
        Console.WriteLine($"{"W1 coffee-sized 2-3-1 sigmoid, gd, 200 samples",-52} {W1<float>(threads, repeats),12:N0} {W1<double>(threads, repeats),12:N0}  steps/s");
        Console.WriteLine($"{"W2 digits 400-25-15-1 sigmoid, adam, batch 32",-52} {W2<float>(threads, repeats),12:N0} {W2<double>(threads, repeats),12:N0}  samples/s");
        Console.WriteLine($"{"W3 mnist 784-256-128-10 relu, ce, adam, batch 128",-52} {W3<float>(threads, repeats, quick).Rate,12:N0} {W3<double>(threads, repeats, quick).Rate,12:N0}  samples/s");
        return 0;
    }

    private static string Clock => _cpuClock ? "cpu" : "wall";

    private static string Unit(this IGrouping<string, Record> g) => g.First().Unit;

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Json(Record r)
    {
        var sb = new StringBuilder();
        sb.Append($"{{\"impl\": \"symlab\", \"workload\": \"{r.Workload}\", \"precision\": \"{r.Precision}\", \"threads\": {r.Threads}, \"value\": {Num(r.Value)}, \"unit\": \"{r.Unit}\"");
        if (r.Gflops is { } g) sb.Append($", \"gflops\": {Num(g)}");
        sb.Append($", \"gc_during_timing\": {r.Collections}, \"clock\": \"{Clock}\"");
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>Fixed synthetic data: uniform features in [0, 1) from seed 42, labels cycling through the classes.</summary>
    private static Dataset Data(int rows, int features, int classes)
    {
        var rng = new Rng(42);
        var x = new double[rows * features];
        var y = new double[rows];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble();
        for (int r = 0; r < rows; r++) y[r] = r % classes;
        return new Dataset($"synthetic {rows}x{features}", x, y, features);
    }

    /// <summary>
    /// Seconds of the best of <paramref name="repeats"/> timed rounds, after untimed warm-up rounds
    /// (at least one, and at least a second in all, so that the JIT's tiering has settled: figures
    /// are for steady state, as in any run longer than a second).
    /// </summary>
    private static double Best(int repeats, Func<Func<double>> setup)
    {
        double warm = 0;
        do warm += setup()();
        while (warm < 1.0);
        double best = double.MaxValue;
        _collections = 0;
        for (int rep = 0; rep < repeats; rep++)
        {
            double seconds = setup()();
            if (_each) Console.Error.WriteLine($"{{\"repeat\": {rep + 1}, \"seconds\": {Num(seconds)}}}");
            best = Math.Min(best, seconds);
        }
        return best;
    }

    /// <summary>Seconds of <paramref name="train"/>, counting the collections that happen inside the clock.</summary>
    private static double Timed(Action train)
    {
        int before = GC.CollectionCount(0);
        double cpu = _cpuClock ? ThreadCpuSeconds() : 0;
        var clock = Stopwatch.StartNew();
        train();
        double seconds = _cpuClock ? ThreadCpuSeconds() - cpu : clock.Elapsed.TotalSeconds;
        _collections += GC.CollectionCount(0) - before;
        return seconds;
    }

    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU seconds of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID).</summary>
    private static double ThreadCpuSeconds()
    {
        const int ThreadCpuTimeId = 3;
        if (ClockGetTime(ThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    private static Func<double> Training<T>(int inputs, (int, Activation)[] layers, Dataset data, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = new Network<T>(inputs, layers);
        new InitScheme(new GlorotUniform(), new Constant(0, "zeros")).Apply(net, new Rng(1));
        var trainer = new Trainer<T>(net, data, options);
        return () => Timed(() => trainer.Train());
    }

    /// <summary>W1 tiny: 2-3-1 sigmoid, 200 samples, full-batch gd, bce, 10,000 steps (steps/s).</summary>
    private static double W1<T>(int threads, int repeats) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = Data(200, 2, 2);
        var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.1, BatchSize = null, Epochs = 10_000, Threads = threads };
        return 10_000 / Best(repeats, () => Training<T>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)], data, options));
    }

    /// <summary>W2 digits: 400-25-15-1 sigmoid, 1000 samples, adam 0.001, batch 32, 20 epochs (samples/s).</summary>
    private static double W2<T>(int threads, int repeats) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = Data(1000, 400, 2);
        var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.001, BatchSize = 32, Epochs = 20, Threads = threads };
        return 1000.0 * 20 / Best(repeats, () => Training<T>(400, [(25, Activation.Sigmoid), (15, Activation.Sigmoid), (1, Activation.Sigmoid)], data, options));
    }

    private static Dataset? _mnist;

    /// <summary>W3 mnist-mlp: 784-256-128-10 relu, softmax ce, 60,000 samples, adam, batch 128, 1 epoch (samples/s; GFLOP/s = 6 x parameters x samples).</summary>
    private static (double Rate, double Gflops) W3<T>(int threads, int repeats, bool quick) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = quick ? 6000 : 60_000;
        var data = _mnist is { } d && d.Rows == rows ? d : _mnist = Data(rows, 784, 10);
        var options = new TrainingOptions { Loss = Loss.Ce, Optimizer = "adam", LearningRate = 0.001, BatchSize = 128, Epochs = 1, Threads = threads };
        double seconds = Best(repeats, () => Training<T>(784, [(256, Activation.Relu), (128, Activation.Relu), (10, Activation.Softmax)], data, options));
        long parameters = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
        return (rows / seconds, 6.0 * parameters * rows / seconds / 1e9);
    }

    /// <summary>W4 wide: 1024-1024-1024-10 relu, softmax ce, sgd, batch 256, 8192 samples (GFLOP/s = 6 x parameters x samples).</summary>
    private static double W4<T>(int threads, int repeats, bool quick) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = quick ? 2048 : 8192;
        var data = Data(rows, 1024, 10);
        var options = new TrainingOptions { Loss = Loss.Ce, Optimizer = "sgd", LearningRate = 0.01, BatchSize = 256, Epochs = 1, Threads = threads };
        double seconds = Best(repeats, () => Training<T>(1024, [(1024, Activation.Relu), (1024, Activation.Relu), (10, Activation.Softmax)], data, options));
        long parameters = 1024L * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10;
        return 6.0 * parameters * rows / seconds / 1e9;
    }

    /// <summary>
    /// W5 seed sweep: 2-2-1 (tanh hidden, sigmoid output, bce) on the 4 XOR points, from each of
    /// <paramref name="seeds"/> seeds (Glorot-uniform weights from the seed), 2000 full-batch gd steps
    /// each (total seconds), trained in the lanes of a <see cref="SeedBatchTrainer{T}"/> (each network
    /// bit for bit as trained alone, with its own history). The clock starts after the networks are
    /// initialized, as the peers' does.
    /// </summary>
    private static double W5(int threads, int seeds, int repeats)
    {
        var xor = new Dataset("xor", [0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 2);
        var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 2000, Threads = threads };
        return Best(repeats, () =>
        {
            var nets = new List<Network<float>>(seeds);
            for (int s = 0; s < seeds; s++)
            {
                var net = new Network<float>(2, [(2, Activation.Tanh), (1, Activation.Sigmoid)]);
                new InitScheme(new GlorotUniform(), new Constant(0, "zeros")).Apply(net, new Rng((ulong)s + 1));
                nets.Add(net);
            }
            return () => Timed(() => new SeedBatchTrainer<float>(nets, xor, options).Train());
        });
    }

    private static bool TryParseSizes(string text, out int[] sizes)
    {
        var parts = text.Split(',');
        sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 1 || sizes[i] > 8192) return false;
        return true;
    }

    /// <summary>C = A B for n x n float32 matrices (GFLOP/s = 2 n^3 / time), best of several.</summary>
    private static double Sgemm(int n, int threads)
    {
        var rng = new Rng(1);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = (float)rng.NextNormal(); b[i] = (float)rng.NextNormal(); }
        var job = new GemmJob<float>();
        var pool = WorkerPool.ForThreads(threads);
        int reps = Math.Max(5, (int)(4e9 / (2.0 * n * n * n)));
        double best = double.MaxValue;
        _collections = 0;
        for (int r = 0; r < reps + 2; r++)
        {
            double seconds = Timed(() => job.Run(pool, MatrixRef<float>.RowMajor(a, n), MatrixRef<float>.RowMajor(b, n), c, n, n, n));
            if (r >= 2) best = Math.Min(best, seconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
