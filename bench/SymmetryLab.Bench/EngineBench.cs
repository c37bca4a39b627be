using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// Training throughput of the engine on the issue's workloads, float32 and float64, timing training
/// only (data and network are built before the clock starts). Each figure is the best of a few repeats.
/// </summary>
internal static class EngineBench
{
    private sealed record Workload(string Name, string Unit, int Inputs, (int, Activation)[] Layers, int Rows, int Classes, Loss Loss, string Optimizer, int? Batch, int Epochs);

    private static readonly Workload[] Workloads =
    [
        new("coffee 2-3-1 sigmoid, gd full batch (200)", "steps/s", 2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)], 200, 2, Loss.Bce, "gd", null, 10_000),
        new("digits 400-25-15-1 sigmoid, adam b32 (1000)", "samples/s", 400, [(25, Activation.Sigmoid), (15, Activation.Sigmoid), (1, Activation.Sigmoid)], 1000, 2, Loss.Bce, "adam", 32, 20),
        new("mnist 784-256-128-10 relu, ce adam b128 (10000)", "samples/s", 784, [(256, Activation.Relu), (128, Activation.Relu), (10, Activation.Softmax)], 10_000, 10, Loss.Ce, "adam", 128, 1),
    ];

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int threads = args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(Environment.ProcessorCount);
        Console.WriteLine($"SymmetryLab engine benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {threads} threads, Vector<float> = {Vector<float>.Count} lanes");
        Console.WriteLine($"{"workload",-50} {"float32",14} {"float64",14}  unit");
        foreach (var w in Workloads)
        {
            var work = quick ? w with { Epochs = Math.Max(1, w.Epochs / 10) } : w;
            double f32 = Measure<float>(work, threads, repeats: quick ? 1 : 3);
            double f64 = Measure<double>(work, threads, repeats: quick ? 1 : 3);
            Console.WriteLine($"{w.Name,-50} {f32,14:N0} {f64,14:N0}  {w.Unit}");
        }
        return 0;
    }

    private static double Measure<T>(Workload w, int threads, int repeats) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(42);
        var x = new double[w.Rows * w.Inputs];
        var y = new double[w.Rows];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble();
        for (int r = 0; r < w.Rows; r++) y[r] = r % w.Classes;
        var data = new Dataset(w.Name, x, y, w.Inputs);
        double best = 0;
        for (int rep = 0; rep <= repeats; rep++) // the first round warms up the JIT
        {
            var net = new Network<T>(w.Inputs, w.Layers);
            new InitScheme(new GlorotUniform(), new Constant(0, "zeros")).Apply(net, new Rng(1));
            var trainer = new Trainer<T>(net, data, new TrainingOptions { Loss = w.Loss, Optimizer = w.Optimizer, BatchSize = w.Batch, Epochs = w.Epochs, Threads = threads });
            var clock = Stopwatch.StartNew();
            trainer.Train();
            double seconds = clock.Elapsed.TotalSeconds;
            double rate = w.Unit == "steps/s" ? trainer.Step / seconds : (double)w.Rows * w.Epochs / seconds;
            if (rep > 0) best = Math.Max(best, rate);
        }
        return best;
    }

    public static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
