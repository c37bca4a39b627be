using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab.Experiments;

/// <summary>
/// One training run watched closely for an experiment: the network before and after, the history, the
/// lab's <see cref="SymmetryRecorder{T}"/> (distinct units per epoch, the step each layer split), the
/// diagnosis, and snapshots of layer 1 (each unit's incoming weights and bias) for trajectory plots.
/// </summary>
internal sealed class WatchedRun : ITrainingObserver<double>
{
    private readonly long _snapshotEvery;

    private WatchedRun(Network<double> initial, long snapshotEvery)
    {
        Initial = initial.Clone();
        _snapshotEvery = Math.Max(1, snapshotEvery);
        Snapshots.Add((0, Layer1(initial)));
    }

    public Network<double> Initial { get; }
    public Network<double> Final { get; private set; } = null!;
    public List<EpochRecord> History { get; private set; } = [];
    public SymmetryRecorder<double> Recorder { get; private set; } = null!;
    public Diagnosis Diagnosis { get; private set; } = null!;
    public List<(long Step, double[] Layer1)> Snapshots { get; } = [];
    public long Steps { get; private set; }

    /// <summary>Distinct units of <paramref name="layer"/> (1-based) at the end.</summary>
    public int Distinct(int layer) => Recorder.DistinctPerEpoch[^1][layer - 1];

    /// <summary>The first step after which <paramref name="layer"/> had more distinct units than at the start (null: never).</summary>
    public long? BreakStep(int layer) => Recorder.BrokeAtStep[layer - 1];

    public EpochRecord Last => History[^1];

    /// <summary>The final model's cost on the training data (what predict reports for it), not the last epoch's running mean.</summary>
    public double FinalLoss { get; private set; }

    /// <summary>The final model's accuracy on the training data (null for regression).</summary>
    public double? FinalAccuracy { get; private set; }

    /// <summary>Always answering the training set's majority class: what an accuracy must beat.</summary>
    public MajorityBaseline? Baseline { get; private set; }

    /// <summary>Trains <paramref name="network"/> (in place) and returns what was seen.</summary>
    public static WatchedRun Train(Network<double> network, Dataset data, TrainingOptions options, Dataset? test = null, int snapshots = 200)
    {
        int batch = Math.Min(options.BatchSize ?? data.Rows, data.Rows);
        long steps = (long)options.Epochs * ((data.Rows + batch - 1) / batch);
        var run = new WatchedRun(network, steps / snapshots);
        var fit = network.Fit(data, options, test, observer: run);
        (run.History, run.Recorder) = ([.. fit], fit.Recorder);
        run.Final = network;
        run.Steps = fit.Steps;
        (run.FinalLoss, run.FinalAccuracy) = new Evaluator<double>(network, data, options.Loss, SymmetryLab.Numerics.WorkerPool.ForThreads(1)).Evaluate();
        run.Baseline = MajorityBaseline.Of(data, test);
        // A regression's mse (before the L2 penalty) against always answering the targets' mean.
        var context = new DiagnosisContext(run.FinalAccuracy, run.Baseline) { Cost = run.FinalLoss, MeanBaseline = MeanBaseline.Of(data, test, options.Loss) };
        if (options.L2 > 0) run.FinalLoss += network.L2Penalty(options.L2, data.Rows);
        run.Diagnosis = Diagnosis.Of(run.Initial, network, run.History, run.Recorder, data, context);
        return run;
    }

    void ITrainingObserver<double>.AfterStep(long step, int epoch, Network<double> network)
    {
        if (step % _snapshotEvery == 0) Snapshots.Add((step, Layer1(network)));
    }

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

    /// <summary>One trajectory per unit of layer 1 for parameter <paramref name="index"/> (0-based input, or Inputs for the bias), labelled "NAME: unit j".</summary>
    public List<Series> Trajectories(int index, string name)
    {
        var layer = Initial.Layers[0];
        int width = layer.Inputs + 1;
        var x = Snapshots.Select(s => (double)s.Step).ToArray();
        return Enumerable.Range(0, layer.Units)
            .Select(j => new Series($"{name}: unit {j + 1}", x, Snapshots.Select(s => s.Layer1[j * width + index]).ToArray()))
            .ToList();
    }
}
