using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// One training run watched closely for an experiment: the network before and after, the history,
/// distinct units per layer per epoch, the first step at which each layer's identical units split,
/// and snapshots of layer 1 (each unit's incoming weights and bias) for trajectory plots.
/// </summary>
public sealed class WatchedRun : ITrainingObserver<double>
{
    private readonly long _snapshotEvery;
    private readonly int[] _distinctNow;

    private WatchedRun(Network<double> initial, long snapshotEvery)
    {
        Initial = initial.Clone();
        _snapshotEvery = Math.Max(1, snapshotEvery);
        _distinctNow = UnitGroups.FindAll(initial).Select(g => g.Distinct).ToArray();
        BreakStep = new long?[initial.Layers.Count];
        Snapshots.Add((0, Layer1(initial)));
    }

    public Network<double> Initial { get; }
    public Network<double> Final { get; private set; } = null!;
    public List<EpochRecord> History { get; private set; } = [];
    public List<int[]> DistinctPerEpoch { get; } = [];
    /// <summary>Per layer, the first step after which it had more distinct units than at the start (null: never).</summary>
    public long?[] BreakStep { get; }
    public List<(long Step, double[] Layer1)> Snapshots { get; } = [];
    public long Steps { get; private set; }

    public int Distinct(int layer) => DistinctPerEpoch[^1][layer - 1];

    /// <summary>Trains <paramref name="network"/> (in place) and returns what was seen.</summary>
    public static WatchedRun Train(Network<double> network, Dataset data, TrainingOptions options, Dataset? test = null, int snapshots = 200)
    {
        int batch = Math.Min(options.BatchSize ?? data.Rows, data.Rows);
        long steps = (long)options.Epochs * ((data.Rows + batch - 1) / batch);
        var run = new WatchedRun(network, steps / snapshots);
        var trainer = new Trainer<double>(network, data, options);
        run.History = trainer.Train(test, run);
        run.Final = network;
        run.Steps = trainer.Step;
        return run;
    }

    void ITrainingObserver<double>.AfterStep(long step, int epoch, Network<double> network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (BreakStep[l] is not null || _distinctNow[l] == network.Layers[l].Units) continue;
            int distinct = UnitGroups.Find(network, l).Distinct;
            if (distinct > _distinctNow[l]) BreakStep[l] = step;
        }
        if (step % _snapshotEvery == 0) Snapshots.Add((step, Layer1(network)));
    }

    void ITrainingObserver<double>.AfterEpoch(EpochRecord record, Network<double> network) =>
        DistinctPerEpoch.Add(UnitGroups.FindAll(network).Select(g => g.Distinct).ToArray());

    /// <summary>Layer 1 as units x (inputs + 1): each unit's incoming weights, then its bias.</summary>
    private static double[] Layer1(Network<double> network)
    {
        var layer = network.Layers[0];
        var values = new double[layer.Units * (layer.Inputs + 1)];
        for (int j = 0; j < layer.Units; j++)
        {
            layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs).CopyTo(values.AsSpan(j * (layer.Inputs + 1)));
            values[j * (layer.Inputs + 1) + layer.Inputs] = layer.Biases[j];
        }
        return values;
    }

    /// <summary>One trajectory per unit of layer 1 for parameter <paramref name="index"/> (0-based input, or Inputs for the bias).</summary>
    public List<Series> Trajectories(int index, string name)
    {
        var layer = Initial.Layers[0];
        int width = layer.Inputs + 1;
        var x = Snapshots.Select(s => (double)s.Step).ToArray();
        return Enumerable.Range(0, layer.Units)
            .Select(j => new Series($"unit {j + 1}", x, Snapshots.Select(s => s.Layer1[j * width + index]).ToArray()))
            .Select(s => s with { Label = $"{name} of {s.Label}" })
            .ToList();
    }
}
