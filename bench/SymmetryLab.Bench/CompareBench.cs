using System.Diagnostics;
using SymmetryLab.Data;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Bench;

/// <summary>
/// The phases of <c>symlab compare A B --data D</c> in one process, each timed on its own (after one
/// untimed round so the JIT has settled): reading the models and the data, weight matching, and the
/// one pass over the data (activation correlations and the loss along the two lines). <c>dotnet SymmetryLab.Bench.dll compare-phases A B DATA [dense]</c>
/// (dense: no layer takes the sparse product).
/// The end-to-end figure (process start to exit, peak memory) is bench/sweep's.
/// </summary>
public static class CompareBench
{
    public static int Run(string[] args)
    {
        if (args.Length is < 3 or > 4 || (args.Length == 4 && args[3] != "dense")) { Console.Error.WriteLine("compare-phases MODEL_A MODEL_B DATA [dense]"); return 2; }
        // "dense": every layer of the lines through the dense product, to compare with the sparse one.
        LossBarrier.UseSparse = args.Length == 3;
        for (int round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var cpuTimes = new List<string>();
            double Lap()
            {
                double s = clock.Elapsed.TotalSeconds;
                clock.Restart();
                process.Refresh();
                cpuTimes.Add($"{(process.TotalProcessorTime - cpu).TotalSeconds:F2}");
                cpu = process.TotalProcessorTime;
                return s;
            }
            // As compare reads them: side by side, each file's text once (network and precision).
            var readA = Task.Run(() => ModelFile.ReadInDouble(args[0]));
            var readB = Task.Run(() => ModelFile.ReadInDouble(args[1]));
            var (a, precisionA) = readA.GetAwaiter().GetResult();
            var (b, precisionB) = readB.GetAwaiter().GetResult();
            if (precisionA != "float32" || precisionB != "float32") Console.Error.WriteLine("note: compare would evaluate these models in float64; this bench uses float32");
            double load = Lap();
            var data = DataSource.Load(args[2]).Train;
            double read = Lap();
            var alignment = UnitAlignment.Align(a, b);
            double weights = Lap();
            var correlation = new ActivationCorrelation([.. a.Layers.SkipLast(1).Select(l => l.Units)]);
            var lines = LossBarrier.Lines<float>(a, [b, alignment.AlignedB], data, LossBarrier.LossFor(a), LossBarrier.DefaultPoints, correlation.Add);
            var activations = UnitAlignment.FromCorrelations(a, correlation.Result());
            double pass = Lap();
            var (before, after) = (lines[0], lines[1]);
            Console.WriteLine($"round {round}: models {load:F3} s, data {read:F3} s, weight matching {weights:F3} s ({alignment.Passes} passes), the pass over the data (activations, two lines in float32) {pass:F3} s; barrier {before.Barrier:G4} -> {after.Barrier:G4}; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; CPU seconds per phase {string.Join(", ", cpuTimes)}");
        }
        return 0;
    }
}
