using SymmetryLab.Data;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

/// <summary>
/// The training loop: for each epoch, reshuffle the rows (minibatches only) from the seed's shuffle
/// stream, and for each batch compute the gradients and let the optimizer step. Buffers are sized once,
/// so a step allocates nothing.
/// </summary>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly TrainingOptions _options;
    private readonly Optimizer<T> _optimizer;
    private readonly WorkerPool _pool;
    private readonly Rng _shuffleRng, _dropoutRng;
    private readonly T[] _x, _t;
    private readonly int _rows, _batch;
    private readonly int[] _order;
    private readonly T[] _xb, _tb;
    private readonly Dataset _train;
    private readonly GatherJob _gather;

    /// <summary>
    /// A trainer of <paramref name="network"/> (in place) on <paramref name="train"/>, normalized by the
    /// network's <see cref="Network{T}.Normalization"/>; the shuffle and dropout draw from
    /// <see cref="TrainingOptions.Seed"/>'s streams.
    /// </summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    /// <exception cref="ModelMismatchException">The loss does not fit the output activation.</exception>
    public Trainer(Network<T> network, Dataset train, TrainingOptions options)
    {
        Check(network, train, options);
        _network = network;
        _options = options;
        _train = train;
        _optimizer = options.Optimizer.Create<T>(options.EffectiveLearningRate);
        _pool = WorkerPool.ForThreads(Math.Max(1, options.Threads));
        _shuffleRng = Rng.Stream(options.Seed, RngStream.Shuffle);
        _dropoutRng = Rng.Stream(options.Seed, RngStream.Dropout);
        _rows = train.Rows;
        _x = ToInputs(network, train);
        _t = Convert(train.TargetMatrix(network.Outputs));
        _batch = Math.Min(options.BatchSize ?? _rows, _rows);
        _order = Enumerable.Range(0, _rows).ToArray();
        _xb = new T[_batch * network.Inputs];
        _tb = new T[_batch * network.Outputs];
        _gather = new GatherJob(this);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            network.Layers[l].EnsureCapacity(_batch);
            _optimizer.Register(2 * l, network.Layers[l].Weights.Length);
            _optimizer.Register(2 * l + 1, network.Layers[l].Biases.Length);
        }
    }

    /// <summary>Refuses data that does not fit the network and a loss that does not fit its output.</summary>
    internal static void Check(Network<T> network, Dataset train, TrainingOptions options)
    {
        if (train.Features != network.Inputs)
            throw new DataException($"{train.Name} has {train.Features} features but the network takes {network.Inputs} inputs");
        ModelMismatchException.CheckLoss(options.Loss, network.Output.Activation);
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network => _network;
    internal Optimizer<T> Optimizer => _optimizer;

    /// <summary>Rows per step: the options' batch size, or every row for a full batch.</summary>
    public int BatchSize => _batch;

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>The dataset's features, normalized by the network's normalization, in precision T.</summary>
    public static T[] ToInputs(Network<T> network, Dataset data)
    {
        var x = data.X;
        if (network.Normalization is { } norm)
        {
            var normalized = new double[x.Length];
            norm.Apply(x, normalized, data.Rows);
            x = normalized;
        }
        return Convert(x);
    }

    private static T[] Convert(double[] values)
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = T.CreateChecked(values[i]);
        return result;
    }

    /// <summary>Runs every epoch; returns one record per epoch.</summary>
    public List<EpochRecord> Train(Dataset? test = null, ITrainingObserver<T>? observer = null, Action<EpochRecord>? progress = null, CancellationToken cancel = default)
    {
        var history = new List<EpochRecord>(Math.Min(_options.Epochs, 1 << 16));
        var evaluator = test is null ? null : new Evaluator<T>(_network, test, _options.Loss, _pool);
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var (loss, accuracy) = RunEpoch(epoch, observer);
            double? testLoss = null, testAccuracy = null;
            if (evaluator is not null) (testLoss, testAccuracy) = evaluator.Evaluate();
            var record = new EpochRecord(epoch, Step, loss, accuracy, testLoss, testAccuracy);
            history.Add(record);
            observer?.AfterEpoch(record, _network);
            progress?.Invoke(record);
        }
        return history;
    }

    /// <summary>One pass over the data; returns the mean batch cost and accuracy (weighted by batch size).</summary>
    public (double Loss, double? Accuracy) RunEpoch(int epoch, ITrainingObserver<T>? observer = null)
    {
        if (_nextRow != 0) throw new InvalidOperationException($"epoch {_epoch} was begun by TrainStep and is not finished");
        if (_batch < _rows) _shuffleRng.Shuffle(_order);
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < _rows; start += _batch)
        {
            var (cost, batchCorrect) = Batch(start, epoch, observer);
            lossSum += cost * Math.Min(_batch, _rows - start);
            correct += batchCorrect;
        }
        // The cost is checked before each update; the last update of the epoch is checked here, so a
        // run never ends (or hands an observer) weights that are NaN or infinite.
        CheckWeights(epoch);
        return (lossSum / _rows, IsClassification ? (double)correct / _rows : null);
    }

    /// <summary>Step-wise training: the first row of the next batch of the epoch under way (0: between epochs), its sums so far.</summary>
    private int _nextRow, _epoch;
    private double _epochLoss;
    private long _epochCorrect;

    /// <summary>The epoch <see cref="TrainStep"/> is in (or last finished): 0 before the first step.</summary>
    public int Epoch => _epoch;

    /// <summary>
    /// One optimizer step on the next batch, for a caller that trains a step at a time and may stop or
    /// look between any two (the playground). The steps are exactly those <see cref="RunEpoch"/> takes,
    /// in the same order (the rows are reshuffled from the same stream when an epoch begins), so N calls
    /// leave the weights bit for bit where the epochs containing those N steps leave them. The weights
    /// are checked after every step, since the caller may hand them on at any step. Returns the epoch's
    /// record (mean batch cost and accuracy, no test figures) when this step finished an epoch.
    /// </summary>
    public StepResult TrainStep(ITrainingObserver<T>? observer = null)
    {
        if (_nextRow == 0)
        {
            _epoch++;
            if (_batch < _rows) _shuffleRng.Shuffle(_order);
            _epochLoss = 0;
            _epochCorrect = 0;
        }
        int start = _nextRow;
        var (cost, correct) = Batch(start, _epoch, observer);
        CheckWeights(_epoch);
        _epochLoss += cost * Math.Min(_batch, _rows - start);
        _epochCorrect += correct;
        _nextRow = start + _batch >= _rows ? 0 : start + _batch;
        if (_nextRow != 0) return new StepResult(Step, _epoch, cost, null);
        var record = new EpochRecord(_epoch, Step, _epochLoss / _rows, IsClassification ? (double)_epochCorrect / _rows : null, null, null);
        observer?.AfterEpoch(record, _network);
        return new StepResult(Step, _epoch, cost, record);
    }

    private bool IsClassification => _options.Loss != Loss.Mse || _train.Kind != TargetKind.Continuous;

    /// <summary>One step on the batch of rows starting at <paramref name="start"/> (in the epoch's order): gradients, checks, update. Returns the batch's cost and its correct rows.</summary>
    private (double Cost, long Correct) Batch(int start, int epoch, ITrainingObserver<T>? observer)
    {
        int inputs = _network.Inputs, outputs = _network.Outputs;
        int count = Math.Min(_batch, _rows - start);
        // Full batch: the rows in their own order, used in place; minibatches are gathered.
        T[] xb = _x, tb = _t;
        if (_batch < _rows)
        {
            xb = _xb;
            tb = _tb;
            // Rows scattered over a large data set (a page apiece) wait on memory: split over the threads.
            _gather.Start = start;
            _pool.Run(_gather, count, parallel: (long)count * inputs >= GatherJob.ParallelThreshold);
        }
        // A full batch is _x itself, which never changes; minibatches reuse one buffer for new rows.
        double cost = _network.TrainingGradients(xb, tb, count, _options.Loss, _pool, _options.L2, _options.Dropout, _dropoutRng, inputsUnchanged: _batch == _rows, referencePath: _options.Engine.ReferencePathOnly);
        Step++;
        if (!double.IsFinite(cost))
        {
            // Every layer's z for the diagnosis: a tiny network's step keeps only the output's (without
            // dropout the forward pass recomputes exactly what the step saw).
            if (_options.Dropout == 0) _network.Forward(xb, count, _pool);
            throw Diverged(epoch, cost);
        }
        long correct = IsClassification ? Metrics.CountCorrect<T>(_network.Output.A, tb, count, outputs) : 0;
        _optimizer.BeginStep();
        for (int l = 0; l < _network.Layers.Count; l++)
        {
            var layer = _network.Layers[l];
            _optimizer.Update(2 * l, layer.Weights, layer.WeightGradients, _pool);
            _optimizer.Update(2 * l + 1, layer.Biases, layer.BiasGradients, _pool);
        }
        observer?.AfterStep(Step, epoch, _network);
        return (cost, correct);
    }

    private void CheckWeights(int epoch)
    {
        for (int l = 0; l < _network.Layers.Count; l++)
        {
            var layer = _network.Layers[l];
            if (!AllFinite(layer.Weights) || !AllFinite(layer.Biases))
                throw new TrainingDivergedException(epoch, Step, l + 1, "a weight became NaN or infinite");
        }
    }

    /// <summary>Copies the rows of a minibatch, in shuffled order, into the batch buffers.</summary>
    private sealed class GatherJob(Trainer<T> trainer) : IRangeJob
    {
        /// <summary>Below this many values a batch is gathered on the calling thread alone.</summary>
        public const long ParallelThreshold = 1 << 15;

        public int Start;

        public void Execute(int from, int to)
        {
            int inputs = trainer._network.Inputs, outputs = trainer._network.Outputs;
            for (int i = from; i < to; i++)
            {
                int r = trainer._order[Start + i];
                trainer._x.AsSpan(r * inputs, inputs).CopyTo(trainer._xb.AsSpan(i * inputs));
                trainer._t.AsSpan(r * outputs, outputs).CopyTo(trainer._tb.AsSpan(i * outputs));
            }
        }
    }

    private TrainingDivergedException Diverged(int epoch, double cost)
    {
        for (int l = 0; l < _network.Layers.Count; l++)
        {
            var layer = _network.Layers[l];
            if (!AllFinite(layer.Weights) || !AllFinite(layer.Biases))
                return new TrainingDivergedException(epoch, Step, l + 1, "a weight became NaN or infinite");
            if (!AllFinite(layer.Z.AsSpan(0, _batch * layer.Units)))
                return new TrainingDivergedException(epoch, Step, l + 1, "the pre-activations overflowed");
        }
        return new TrainingDivergedException(epoch, Step, _network.Layers.Count, $"the cost is {cost}");
    }

    private static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var v in values)
            if (!T.IsFinite(v)) return false;
        return true;
    }
}
