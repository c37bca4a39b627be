using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Accelerated;

/// <summary>
/// Trains many networks of one shape at once on the same full batch: a seed sweep in vector lanes.
/// Every number of the network (weight, bias, z, a, delta, gradient) becomes a vector whose lane s
/// belongs to network s, so one vector instruction takes a step for <c>Vector&lt;T&gt;.Count</c>
/// networks; blocks of lanes train on the cores independently.
/// </summary>
/// <remarks>
/// Lane s does exactly what <see cref="Trainer{T}"/> does for network s alone, operation for operation:
///     z[b, j] = FMA chain over i of a_prev[b, i] W[j, i] from +0, then + bias[j]   (as the products do)
///     a = g(z) through the same activation code (elementwise, so a lane cannot tell it has neighbours)
///     delta, dJ/dW (FMA chain over b), dJ/dbias (summed over b in order), dJ/da_prev (FMA chain over j)
///     the cost and the update through the same functions, over interleaved lanes.
/// So each network ends bit for bit where it would alone, history included (the tests check this).
/// Full batch only (gd, or a batch as large as the data) and no dropout: then every network sees the
/// same rows at every step, the inputs are shared and only the networks' own numbers are vectors.
/// A network that diverges stops recording and is reported as <see cref="Trainer{T}"/> would throw;
/// the others go on.
/// </remarks>
internal sealed class SeedBatchTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static int Lanes => Vector<T>.Count;

    private readonly Network<T>[] _networks;
    private readonly TrainingOptions _options;
    private readonly T[] _x, _t;
    private readonly int _rows;
    private readonly bool _classification;

    /// <summary>
    /// A batch of <paramref name="networks"/> to train on <paramref name="train"/>. With
    /// <paramref name="distinctAtStart"/> (per network, per layer, its distinct units at step 0, as
    /// <see cref="Lab.UnitGroups"/> counts them) each outcome also says when each layer's symmetry broke;
    /// layers whose units are all distinct from the start cost nothing to watch.
    /// </summary>
    public SeedBatchTrainer(IReadOnlyList<Network<T>> networks, Dataset train, TrainingOptions options, IReadOnlyList<int[]>? distinctAtStart = null)
    {
        if (networks.Count == 0) throw new ArgumentException("no networks to train", nameof(networks));
        if (!Supports(options, train.Rows))
            throw new ArgumentException("a seed batch trains on the full batch without dropout (every network sees the same rows)", nameof(options));
        var first = networks[0];
        foreach (var n in networks)
        {
            if (n.Shape != first.Shape || !n.Layers.Select(l => l.Activation).SequenceEqual(first.Layers.Select(l => l.Activation)))
                throw new ArgumentException($"a seed batch needs networks of one shape: {n} differs from {first}", nameof(networks));
            if (!SameNormalization(n.Normalization, first.Normalization))
                throw new ArgumentException("a seed batch needs networks with one input normalization (the inputs are shared)", nameof(networks));
        }
        Trainer<T>.Check(first, train, options);
        _networks = [.. networks];
        _options = options;
        _rows = train.Rows;
        _x = Trainer<T>.ToInputs(first, train);
        var targets = train.TargetMatrix(first.Outputs);
        _t = new T[targets.Length];
        for (int i = 0; i < targets.Length; i++) _t[i] = T.CreateChecked(targets[i]);
        _classification = options.Loss != Loss.Mse || train.Kind != TargetKind.Continuous;
        if (distinctAtStart is not null && (distinctAtStart.Count != networks.Count || distinctAtStart.Any(d => d.Length != first.Layers.Count)))
            throw new ArgumentException("distinct units at the start: one count per layer for every network", nameof(distinctAtStart));
        _distinctAtStart = distinctAtStart;
    }

    private readonly IReadOnlyList<int[]>? _distinctAtStart;

    private static bool SameNormalization(Normalization? a, Normalization? b) =>
        a is null ? b is null : b is not null && a.Mean.SequenceEqual(b.Mean) && a.Std.SequenceEqual(b.Std);

    /// <summary>Whether these options can train in lanes: full batch, no dropout, the engine free to choose its path.</summary>
    public static bool Supports(TrainingOptions options, int rows) =>
        options.Dropout == 0 && (options.BatchSize is null || options.BatchSize >= rows) && !options.Engine.ReferencePathOnly;

    /// <summary>Trains every network for the options' epochs, in place; one outcome per network, in order.</summary>
    public SeedBatchOutcome[] Train(CancellationToken cancel = default)
    {
        int blockCount = (_networks.Length + Lanes - 1) / Lanes;
        var blocks = new Block[blockCount];
        for (int k = 0; k < blockCount; k++)
            blocks[k] = new Block(this, k * Lanes, Math.Min(Lanes, _networks.Length - k * Lanes));
        var pool = WorkerPool.ForThreads(Math.Max(1, _options.Threads));
        pool.Run(new BlockJob(blocks, cancel), blockCount);
        cancel.ThrowIfCancellationRequested();
        var outcomes = new SeedBatchOutcome[_networks.Length];
        foreach (var block in blocks)
        {
            block.WriteBack();
            block.Outcomes.CopyTo(outcomes, block.First);
        }
        return outcomes;
    }

    private sealed class BlockJob(Block[] blocks, CancellationToken cancel) : IRangeJob
    {
        public void Execute(int start, int end)
        {
            for (int k = start; k < end; k++) blocks[k].TrainAll(cancel);
        }
    }

    /// <summary>One layer with every number a vector of lanes, laid out as <see cref="DenseLayer{T}"/>'s arrays.</summary>
    private sealed class LaneLayer(int inputs, int units, Activation activation, int rows)
    {
        public readonly int Inputs = inputs, Units = units;
        public readonly Activation Activation = activation;
        public readonly Vector<T>[] W = new Vector<T>[units * inputs], B = new Vector<T>[units];
        public readonly Vector<T>[] WG = new Vector<T>[units * inputs], BG = new Vector<T>[units];
        public readonly Vector<T>[] Z = new Vector<T>[rows * units], A = new Vector<T>[rows * units];
        public readonly Vector<T>[] Delta = new Vector<T>[rows * units], DA = new Vector<T>[rows * units];
    }

    private sealed class Block
    {
        private readonly SeedBatchTrainer<T> _owner;
        private readonly LaneLayer[] _layers;
        private readonly Optimizer<T> _optimizer;
        private readonly double[] _costs;
        private long _step;

        private int _alive;

        // Per network of the block and layer: distinct units after the last step, and whether all are distinct (then no longer watched).
        private readonly int[][]? _distinct;
        private readonly bool[][]? _settled;
        private int[] _groupFirsts = [];

        public readonly int First, Count;
        public readonly SeedBatchOutcome[] Outcomes;

        public Block(SeedBatchTrainer<T> owner, int first, int count)
        {
            _owner = owner;
            First = first;
            Count = count;
            var shape = owner._networks[first];
            _layers = [.. shape.Layers.Select(l => new LaneLayer(l.Inputs, l.Units, l.Activation, owner._rows))];
            _optimizer = owner._options.Optimizer.Create<T>(owner._options.EffectiveLearningRate);
            for (int l = 0; l < _layers.Length; l++)
            {
                _optimizer.Register(2 * l, _layers[l].W.Length * Lanes);
                _optimizer.Register(2 * l + 1, _layers[l].B.Length * Lanes);
            }
            _costs = new double[Lanes];
            Outcomes = [.. Enumerable.Range(0, count).Select(_ => new SeedBatchOutcome(owner._options.Epochs, owner._classification))];
            if (owner._distinctAtStart is { } start)
            {
                _distinct = [.. Enumerable.Range(0, count).Select(s => (int[])start[first + s].Clone())];
                _settled = [.. Enumerable.Range(0, count).Select(s => _layers.Select((l, i) => start[first + s][i] == l.Units).ToArray())];
                foreach (var outcome in Outcomes) outcome.BrokeAtStep = new long?[_layers.Length];
            }
            _alive = count;
            // Lanes past the last network keep zero weights: they train harmlessly and are never read.
            for (int s = 0; s < count; s++)
                for (int l = 0; l < _layers.Length; l++)
                {
                    var from = owner._networks[first + s].Layers[l];
                    Scatter(from.Weights, _layers[l].W, s);
                    Scatter(from.Biases, _layers[l].B, s);
                }
        }

        private static void Scatter(T[] values, Vector<T>[] lanes, int s)
        {
            var flat = Flat(lanes);
            for (int i = 0; i < values.Length; i++) flat[i * Lanes + s] = values[i];
        }

        private static void Gather(Vector<T>[] lanes, T[] values, int s)
        {
            var flat = Flat(lanes);
            for (int i = 0; i < values.Length; i++) values[i] = flat[i * Lanes + s];
        }

        private static Span<T> Flat(Vector<T>[] lanes) => LaneActivations.Flat(lanes, lanes.Length);

        /// <summary>Every network still training takes its lane's numbers (a diverged one took them when it stopped).</summary>
        public void WriteBack()
        {
            for (int s = 0; s < Count; s++)
                if (Outcomes[s].Diverged is null) WriteBack(s);
        }

        private void WriteBack(int s)
        {
            for (int l = 0; l < _layers.Length; l++)
            {
                var to = _owner._networks[First + s].Layers[l];
                Gather(_layers[l].W, to.Weights, s);
                Gather(_layers[l].B, to.Biases, s);
                Gather(_layers[l].WG, to.WeightGradients, s);
                Gather(_layers[l].BG, to.BiasGradients, s);
            }
        }

        public void TrainAll(CancellationToken cancel)
        {
            for (int epoch = 1; epoch <= _owner._options.Epochs; epoch++)
            {
                if (cancel.IsCancellationRequested) return;
                RunEpoch(epoch);
                if (_alive == 0) return;
            }
        }

        /// <summary>One full-batch step, then the checks and records <see cref="Trainer{T}.RunEpoch"/> makes.</summary>
        private void RunEpoch(int epoch)
        {
            int rows = _owner._rows, outputs = _layers[^1].Units;
            ComputeGradients();
            _step++;
            for (int s = 0; s < Count; s++)
            {
                if (Outcomes[s].Diverged is not null) continue;
                double cost = _costs[s];
                if (!double.IsFinite(cost))
                {
                    Stop(s, Divergence(epoch, cost, s));
                    continue;
                }
                double lossSum = 0;
                lossSum += cost * rows;
                double? accuracy = _owner._classification
                    ? (double)LaneMetrics.CountCorrect<T>(Flat(_layers[^1].A), _owner._t, rows, outputs, Lanes, s) / rows
                    : null;
                Outcomes[s].Add(lossSum / rows, accuracy);
            }
            _optimizer.BeginStep();
            for (int l = 0; l < _layers.Length; l++)
            {
                _optimizer.Update(2 * l, Flat(_layers[l].W), Flat(_layers[l].WG));
                _optimizer.Update(2 * l + 1, Flat(_layers[l].B), Flat(_layers[l].BG));
            }
            if (_distinct is not null) WatchSymmetry();
            // Which lanes hold only finite parameters, all lanes at once; a lane that does not is looked at alone.
            var finite = Vector<T>.AllBitsSet;
            foreach (var layer in _layers)
            {
                foreach (var v in layer.W) finite &= Vector.Equals(v - v, Vector<T>.Zero);
                foreach (var v in layer.B) finite &= Vector.Equals(v - v, Vector<T>.Zero);
            }
            for (int s = 0; s < Count; s++)
            {
                if (Outcomes[s].Diverged is not null || finite[s] != T.Zero) continue;
                for (int l = 0; l < _layers.Length; l++)
                    if (!AllFinite(_layers[l].W, s) || !AllFinite(_layers[l].B, s))
                    {
                        // As alone: the epoch whose update went bad is not recorded.
                        Outcomes[s].RemoveLast();
                        Stop(s, new TrainingDivergedException(epoch, _step, l + 1, "a weight became NaN or infinite"));
                        break;
                    }
            }
        }

        /// <summary>After a step, as <see cref="Lab.SymmetryRecorder{T}.AfterStep"/>: the layers still holding identical units, counted again.</summary>
        private void WatchSymmetry()
        {
            for (int s = 0; s < Count; s++)
            {
                if (Outcomes[s].Diverged is not null) continue;
                for (int l = 0; l < _layers.Length; l++)
                {
                    if (_settled![s][l]) continue;
                    int distinct = DistinctUnits(_layers[l], s);
                    if (distinct > _distinct![s][l] && Outcomes[s].BrokeAtStep[l] is null) Outcomes[s].BrokeAtStep[l] = _step;
                    _distinct[s][l] = distinct;
                    _settled[s][l] = distinct == _layers[l].Units;
                }
            }
        }

        /// <summary>Lane s's groups of units with equal incoming weights and bias (exact), counted as <see cref="Lab.UnitGroups"/> partitions them.</summary>
        private int DistinctUnits(LaneLayer layer, int s)
        {
            if (_groupFirsts.Length < layer.Units) _groupFirsts = new int[layer.Units];
            int groups = 0, n = layer.Inputs;
            for (int u = 0; u < layer.Units; u++)
            {
                bool found = false;
                for (int g = 0; g < groups && !found; g++)
                {
                    int v = _groupFirsts[g];
                    found = layer.B[v][s] == layer.B[u][s];
                    for (int i = 0; i < n && found; i++) found = layer.W[v * n + i][s] == layer.W[u * n + i][s];
                }
                if (!found) _groupFirsts[groups++] = u;
            }
            return groups;
        }

        /// <summary>
        /// Network s stops where Trainer would have thrown: its weights and gradients as they are now
        /// (before the update when the cost went bad, after it when a weight did), whatever its lane
        /// computes afterwards.
        /// </summary>
        private void Stop(int s, TrainingDivergedException diverged)
        {
            Outcomes[s].Diverged = diverged;
            WriteBack(s);
            _alive--;
        }

        /// <summary>The diagnosis of <see cref="Trainer{T}"/>'s Diverged, for lane s.</summary>
        private TrainingDivergedException Divergence(int epoch, double cost, int s)
        {
            for (int l = 0; l < _layers.Length; l++)
            {
                if (!AllFinite(_layers[l].W, s) || !AllFinite(_layers[l].B, s))
                    return new TrainingDivergedException(epoch, _step, l + 1, "a weight became NaN or infinite");
                if (!AllFinite(_layers[l].Z, s))
                    return new TrainingDivergedException(epoch, _step, l + 1, "the pre-activations overflowed");
            }
            return new TrainingDivergedException(epoch, _step, _layers.Length, $"the cost is {cost}");
        }

        private static bool AllFinite(Vector<T>[] lanes, int s)
        {
            foreach (var v in lanes)
                if (!T.IsFinite(v[s])) return false;
            return true;
        }

        /// <summary><see cref="Network{T}.ComputeGradients(T[], T[], int, Losses.Loss, double)"/> on the full batch, every lane at once; costs into _costs.</summary>
        private void ComputeGradients()
        {
            int rows = _owner._rows;
            var output = _layers[^1];
            Vector<T>[]? input = null;
            foreach (var layer in _layers)
            {
                Forward(layer, input, _owner._x, rows);
                input = layer.A;
            }
            var loss = _owner._options.Loss;
            LaneLosses.Costs<T>(loss, Flat(output.Z), Flat(output.A), _owner._t, rows, output.Units, Lanes, _costs);
            if (LossFunctions.IsFused(loss))
                LaneLosses.FusedDelta<T>(Flat(output.A), _owner._t, Flat(output.Delta), rows, output.Units, loss, Lanes);
            else
                LaneLosses.OutputGradient<T>(loss, Flat(output.A), _owner._t, Flat(output.DA), rows, output.Units, Lanes);

            for (int l = _layers.Length - 1; l >= 0; l--)
            {
                bool deltaIsSet = l == _layers.Length - 1 && LossFunctions.IsFused(loss);
                Backward(_layers[l], l == 0 ? null : _layers[l - 1], _owner._x, rows, deltaIsSet);
            }
            if (_owner._options.L2 > 0) AddL2(_owner._options.L2, rows);
        }

        /// <summary>z = a_prev W^T + bias, a = g(z); the first layer's input is the shared x, broadcast to every lane.</summary>
        private static void Forward(LaneLayer layer, Vector<T>[]? input, T[] x, int rows)
        {
            int n = layer.Inputs, units = layer.Units;
            for (int b = 0; b < rows; b++)
                for (int j = 0; j < units; j++)
                {
                    var acc = Vector<T>.Zero;
                    if (input is null)
                        for (int i = 0; i < n; i++) acc = ElementwiseMath.Fma(new Vector<T>(x[b * n + i]), layer.W[j * n + i], acc);
                    else
                        for (int i = 0; i < n; i++) acc = ElementwiseMath.Fma(input[b * n + i], layer.W[j * n + i], acc);
                    layer.Z[b * units + j] = acc + layer.B[j];
                }
            LaneActivations.Forward(layer.Activation, layer.Z, layer.A, rows, units);
        }

        /// <summary><see cref="DenseLayer{T}.Backward"/> in lanes: delta, dJ/dW, dJ/dbias and the layer below's dJ/da.</summary>
        private static void Backward(LaneLayer layer, LaneLayer? below, T[] x, int rows, bool deltaIsSet)
        {
            int n = layer.Inputs, units = layer.Units;
            if (!deltaIsSet) LaneActivations.Backward(layer.Activation, layer.Z, layer.A, layer.DA, layer.Delta, rows, units);
            // dJ/dW[j, i] = sum_b delta[b, j] a_prev[b, i]; dJ/dbias[j] = sum_b delta[b, j].
            for (int j = 0; j < units; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    var acc = Vector<T>.Zero;
                    if (below is null)
                        for (int b = 0; b < rows; b++) acc = ElementwiseMath.Fma(layer.Delta[b * units + j], new Vector<T>(x[b * n + i]), acc);
                    else
                        for (int b = 0; b < rows; b++) acc = ElementwiseMath.Fma(layer.Delta[b * units + j], below.A[b * n + i], acc);
                    layer.WG[j * n + i] = acc;
                }
                var sum = Vector<T>.Zero;
                for (int b = 0; b < rows; b++) sum += layer.Delta[b * units + j];
                layer.BG[j] = sum;
            }
            // dJ/da_prev[b, i] = sum_j delta[b, j] W[j, i].
            if (below is not null)
                for (int b = 0; b < rows; b++)
                    for (int i = 0; i < n; i++)
                    {
                        var acc = Vector<T>.Zero;
                        for (int j = 0; j < units; j++) acc = ElementwiseMath.Fma(layer.Delta[b * units + j], layer.W[j * n + i], acc);
                        below.DA[b * n + i] = acc;
                    }
        }

        /// <summary>The L2 term as <see cref="Network{T}.ComputeGradients(T[], T[], int, Losses.Loss, double)"/> adds it: cost += l2/(2m) sum W^2 per lane, dJ/dW += (l2/m) W.</summary>
        private void AddL2(double l2, int rows)
        {
            Span<double> sums = stackalloc double[Lanes];
            sums.Clear();
            foreach (var layer in _layers)
                foreach (var w in layer.W)
                    for (int s = 0; s < Lanes; s++) sums[s] += double.CreateChecked(w[s]) * double.CreateChecked(w[s]);
            for (int s = 0; s < Lanes; s++) _costs[s] += l2 / (2.0 * rows) * sums[s];
            var scale = new Vector<T>(T.CreateChecked(l2 / rows));
            foreach (var layer in _layers)
                for (int i = 0; i < layer.W.Length; i++) layer.WG[i] += scale * layer.W[i];
        }
    }
}
