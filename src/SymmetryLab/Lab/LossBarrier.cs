using System.Runtime.CompilerServices;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>One point of the straight path theta(t) = theta_A + t (theta_B - theta_A).</summary>
/// <param name="T">t in [0, 1]: 0 is A, 1 is B.</param>
/// <param name="Loss">The mean loss at theta(t) on the data.</param>
/// <param name="Accuracy">The accuracy there (0 to 1); null for a regression target.</param>
public sealed record PathPoint(double T, double Loss, double? Accuracy);

/// <summary>
/// The loss along the path and its barrier: the largest excess of the path's loss over the chord
/// between its end losses, max_t [ L(t) - ((1 - t) L(0) + t L(1)) ] (0 when the path never rises above
/// the chord, as in a convex bowl); <see cref="BarrierT"/> is where it is reached.
/// </summary>
/// <param name="Points">The path's points, t increasing.</param>
/// <param name="Barrier">The largest excess of the loss over the chord (0 if none).</param>
/// <param name="BarrierT">The t where it is reached.</param>
public sealed record LossPath(IReadOnlyList<PathPoint> Points, double Barrier, double BarrierT);

/// <summary>
/// Linear mode connectivity: evaluate networks on the straight line between two parameter vectors.
/// Two runs that found the same solution up to a reordering of units show a barrier before alignment
/// (the average of two reorderings is neither) and little or none after.
/// </summary>
/// <remarks>
/// All the lines from A are measured in one pass over the data, a chunk of rows at a time (memory does
/// not grow with the data). Layer 1's pre-activations are linear in the parameters, so on the line
/// from A to B they are z_A + t (z_B - z_A): the data's product with layer 1 is taken once per model,
/// not once per point (for a 784-input network, most of the work); a reordering of B's units only
/// reorders (and negates) its columns. The layers above are evaluated at each point, the points
/// spread over the cores, and the two models' own passes run side by side on two cores (on more, one
/// after the other, each dense product over all of them); a layer
/// whose input is mostly exact zeros (a ReLU layer's output, raw pixels) takes
/// <see cref="SparseLeftProduct{T}"/>, the same bits in about 0.4-0.6 of the time (AVX2, AVX-512). Each point's loss adds the
/// chunks in order, so the figures do not depend on the thread count. The ends are the models themselves, evaluated as <see cref="Evaluator{T}"/> does.
/// </remarks>
public static class LossBarrier
{
    /// <summary>Points on a path unless told otherwise (t = 0, 1/24, ..., 1).</summary>
    public const int DefaultPoints = 25;

    /// <summary>
    /// Points on a path at most: far more than a curve can show, and it bounds the memory the path's points
    /// take (some hundred bytes a point; 10^8 points asked for gigabytes).
    /// </summary>
    public const int MaxPoints = 100_000;

    /// <summary>
    /// At most this many bytes of the lines' interpolated parameters (layers 2 and up, every point) are
    /// kept from one chunk to the next; a larger set is interpolated again at each chunk (the same numbers;
    /// tests set it to 0 to compare the two).
    /// </summary>
    internal static long ParameterCacheBytes { get; set; } = 64 << 20;

    /// <summary>
    /// Whether a layer whose input is mostly zeros may take <see cref="SparseLeftProduct{T}"/> (the same
    /// numbers as the dense product; tests and benchmarks turn it off to compare).
    /// </summary>
    internal static bool UseSparse { get; set; } = true;

    /// <summary>Rows per chunk of the pass over the data: the evaluator's, so that the ends add up as it (and predict) does.</summary>
    internal const int ChunkRows = Evaluator<double>.Chunk;

    /// <summary>The loss a model's output implies (as gradcheck): one sigmoid output: bce; softmax: ce; otherwise mse.</summary>
    public static Loss LossFor(Network<double> network) => LossFunctions.ForOutput(network.Output.Activation, network.Outputs);

    /// <summary>Loss and accuracy at <paramref name="points"/> evenly spaced t in [0, 1], in float64.</summary>
    public static LossPath Along(Network<double> a, Network<double> b, Dataset data, Loss loss, int points = DefaultPoints)
    {
        UnitAlignment.CheckSameShape(a, b, "model A", "model B");
        CheckSameNormalization(a, b, "model A", "model B");
        return Lines<double>(a, [b], data, loss, points)[0];
    }

    /// <summary>
    /// The loss along the line from <paramref name="a"/> to each of <paramref name="ends"/> (networks of
    /// A's shape and normalization whose layer-1 units are a reordering, with signs, of the first end's:
    /// B and B aligned), at <paramref name="points"/> evenly spaced t, evaluated in precision
    /// <typeparamref name="T"/>. <paramref name="observe"/>, when given, sees every chunk's activations
    /// of A and of the first end, per layer (rows x units, row-major), and the chunk's rows (for
    /// activation matching in the same pass): chunk after chunk, on one of the pool's threads while
    /// the others evaluate the points (a run of that pool from inside it runs on that thread alone).
    /// </summary>
    public static LossPath[] Lines<T>(Network<double> a, IReadOnlyList<Network<double>> ends, Dataset data, Loss loss, int points = DefaultPoints,
        Action<T[][], T[][], int>? observe = null, int threads = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(points, MaxPoints);
        if (data.Features != a.Inputs) throw new DataException($"{data.Name} has {data.Features} features but the models take {a.Inputs} inputs");
        foreach (var end in ends)
        {
            UnitAlignment.CheckSameShape(a, end, "model A", "model B");
            CheckSameNormalization(a, end, "model A", "model B");
        }
        int lines = ends.Count, rows = data.Rows, outputs = a.Outputs;
        var pool = WorkerPool.ForThreads(threads > 0 ? threads : Environment.ProcessorCount);
        // Layer 1 of end e is B's (the first end's) layer 1 reordered: unit j is B's unit perm[e][j] times sign[e][j].
        var (perm, sign) = FirstLayerOrder(ends);
        var (weightsA, biasesA) = Parameters<T>(a);
        var (weightsB, biasesB) = Parameters<T>(ends[0]);
        int chunk = Math.Min(ChunkRows, rows);
        PointSlot<T> slotA = new(a, chunk), slotB = new(a, chunk);
        var x = new T[chunk * a.Inputs];
        var scratch = new double[chunk * a.Inputs];
        var targets = data.TargetMatrix(outputs);
        var t = new T[chunk * outputs];
        // Per line: the ends' own losses, then its interior points; every line starts at A.
        var total = new double[lines, points];
        var correct = new long[lines, points];
        // The far end of the first line is B itself when B's layer 1 is not reordered: B's own pass
        // below gives its figures (the same products, so the same bits), and no point needs it again.
        bool farIsB = IsIdentity(perm[0], sign[0]);
        var items = new List<(int Line, int K)>();
        for (int e = 0; e < lines; e++)
            for (int k = 1; k < points; k++)
                if (!(e == 0 && k == points - 1 && farIsB)) items.Add((e, k));
        var slots = Enumerable.Range(0, Math.Min(pool.Threads, Math.Max(1, items.Count))).Select(_ => new PointSlot<T>(a, chunk)).ToArray();
        var job = new PointJob<T>(a, ends, perm, sign, slots, [.. items], points, loss, chunk);
        // The two models' own passes side by side on two threads; with more, one after the other, each
        // dense product over all of them (two threads would leave the rest idle).
        bool sideBySide = pool.Threads <= 2;
        var endsJob = new EndsJob<T>(a, slotA, slotB, weightsA, biasesA, weightsB, biasesB, sideBySide ? PointJob<T>.Alone : pool);

        for (int start = 0; start < rows; start += chunk)
        {
            int count = Math.Min(chunk, rows - start);
            DataChunks.Inputs(data, a.Normalization, start, count, scratch, x);
            for (int i = 0; i < count * outputs; i++) t[i] = T.CreateChecked(targets[start * outputs + i]);

            endsJob.Chunk(x, count);
            pool.Run(endsJob, 2, parallel: sideBySide);
            var (costA, rightA) = slotA.Score(t, count, loss);
            for (int e = 0; e < lines; e++)
            {
                total[e, 0] += costA;
                correct[e, 0] += rightA;
            }

            if (farIsB) (job.Cost[0, points - 1], job.Correct[0, points - 1]) = slotB.Score(t, count, loss);

            // The far end of each line and its interior points: layer 1 from z_A and z_B, the rest evaluated.
            // The chunk's activations go to observe beside the points (a task of the same job), not before them.
            job.Chunk(slotA.Z[0], slotB.Z[0], t, count, observe is null ? null : () => observe(slotA.A, slotB.A, count));
            pool.Run(job, slots.Length);
            for (int e = 0; e < lines; e++)
                for (int k = 1; k < points; k++)
                {
                    total[e, k] += job.Cost[e, k];
                    correct[e, k] += job.Correct[e, k];
                }
        }

        bool classification = loss != Loss.Mse || data.Kind != TargetKind.Continuous;
        var result = new LossPath[lines];
        for (int e = 0; e < lines; e++)
        {
            var line = new PathPoint[points];
            for (int k = 0; k < points; k++)
                line[k] = new PathPoint(Position(k, points), total[e, k] / rows, classification ? (double)correct[e, k] / rows : null);
            var (barrier, at) = Barrier(line);
            result[e] = new LossPath(line, barrier, at);
        }
        return result;
    }

    private static bool IsIdentity(int[] perm, int[] sign)
    {
        for (int j = 0; j < perm.Length; j++)
            if (perm[j] != j || sign[j] != 1) return false;
        return true;
    }

    /// <summary>t of point k of <paramref name="points"/>.</summary>
    private static double Position(int k, int points) => (double)k / (points - 1);

    /// <summary>A network's weights and biases in precision T, per layer.</summary>
    private static (T[][] Weights, T[][] Biases) Parameters<T>(Network<double> n) where T : unmanaged, IFloatingPointIeee754<T> =>
        ([.. n.Layers.Select(l => l.Weights.Select(T.CreateChecked).ToArray())], [.. n.Layers.Select(l => l.Biases.Select(T.CreateChecked).ToArray())]);

    /// <summary>For each end, the unit of the first end (and its sign) that each of its layer-1 units is; refuses ends that are not reorderings.</summary>
    private static (int[][] Perm, int[][] Sign) FirstLayerOrder(IReadOnlyList<Network<double>> ends)
    {
        var b = ends[0].Layers[0];
        int n = b.Units, m = b.Inputs;
        var perm = new int[ends.Count][];
        var sign = new int[ends.Count][];
        for (int e = 0; e < ends.Count; e++)
        {
            var layer = ends[e].Layers[0];
            perm[e] = new int[n];
            sign[e] = new int[n];
            for (int j = 0; j < n; j++)
            {
                int found = -1, s = 1;
                for (int k = 0; k < n && found < 0; k++)
                    foreach (int candidate in new[] { 1, -1 })
                        if (Same(layer, j, b, k, candidate)) { found = k; s = candidate; break; }
                if (found < 0) throw new ArgumentException($"line {e + 1}: unit {j + 1} of layer 1 is not a unit of the first end's layer 1, nor its negation", nameof(ends));
                perm[e][j] = found;
                sign[e][j] = s;
            }
        }
        return (perm, sign);

        bool Same(DenseLayer<double> x, int j, DenseLayer<double> y, int k, int s)
        {
            if (x.Biases[j] != s * y.Biases[k]) return false;
            for (int i = 0; i < m; i++)
                if (x.Weights[j * m + i] != s * y.Weights[k * m + i]) return false;
            return true;
        }
    }

    /// <summary>
    /// One chunk's forward pass: the layers' z and a (as <see cref="DenseLayer{T}.Forward"/> computes
    /// them, bit for bit), and room for the parameters of a point on a line.
    /// </summary>
    private sealed class PointSlot<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T[][] Z, A;
        /// <summary>Layer 1's pre-activations on a line, a few rows at a time (about 16 KiB).</summary>
        public readonly T[] Layer1;
        /// <summary>
        /// A point's parameters when they are not kept from chunk to chunk: made again at each chunk. Its
        /// weights are also where a kept point's are interpolated before they are packed: one buffer per
        /// slot, not a fresh one per point (each a megabyte of new pages on a 512-wide layer).
        /// </summary>
        public readonly PointParameters<T> Scratch;
        private readonly GemmJob<T> _gemm = new();
        private readonly SparseLeftProduct<T> _sparse = new();
        private readonly int _outputs;

        /// <summary>Whether a layer may take the sparse product: on this machine, and at least one block of columns wide (narrower, the dense product's few-unit path is faster).</summary>
        public static bool Packs(DenseLayer<double> layer) => UseSparse && SparseLeftProduct<T>.IsSupported && layer.Units >= SparseLeftProduct<T>.Width;

        public PointSlot(Network<double> shape, int rows)
        {
            var layers = shape.Layers;
            _outputs = shape.Outputs;
            Z = [.. layers.Select(l => new T[rows * l.Units])];
            Layer1 = new T[Math.Max(1, 16384 / Unsafe.SizeOf<T>() / layers[0].Units) * layers[0].Units];
            A = [.. layers.Select(l => new T[rows * l.Units])];
            Scratch = new PointParameters<T>(shape, keep: false);
        }

        // An end's choice of product per layer (at its first chunk) and its packed weights where sparse.
        private bool[] _endChosen = [], _endSparse = [];
        private ArraySegment<T>[] _endPacked = [];

        /// <summary>
        /// A model's own layers (an end of the lines) on <paramref name="count"/> rows of x: a layer whose
        /// input is mostly exact zeros at the first chunk (raw pixels, a ReLU layer's output) takes the
        /// sparse product from then on, on this thread, any other the dense one on <paramref name="pool"/>;
        /// the same bits either way.
        /// </summary>
        public void Forward(Network<double> shape, T[][] weights, T[][] biases, T[] x, int count, WorkerPool pool)
        {
            if (_endChosen.Length == 0) (_endChosen, _endSparse, _endPacked) = (new bool[weights.Length], new bool[weights.Length], new ArraySegment<T>[weights.Length]);
            for (int l = 0; l < weights.Length; l++)
            {
                var layer = shape.Layers[l];
                int units = layer.Units, inputs = layer.Inputs;
                var input = l == 0 ? x : A[l - 1];
                if (!_endChosen[l])
                {
                    _endChosen[l] = true;
                    _endSparse[l] = Packs(layer) && SparseLeftProduct<T>.Density(input.AsSpan(0, count * inputs)) <= SparseLeftProduct<T>.WorthIt;
                    if (_endSparse[l])
                    {
                        _endPacked[l] = SparseLeftProduct<T>.Allocate(units, inputs);
                        SparseLeftProduct<T>.Pack(weights[l], units, inputs, _endPacked[l]);
                    }
                }
                if (_endSparse[l]) _sparse.Run(_endPacked[l], input.AsSpan(0, count * inputs), count, inputs, Z[l], units);
                else _gemm.Run(pool, MatrixRef<T>.RowMajor(input, inputs), MatrixRef<T>.TransposeOf(weights[l], inputs), Z[l], count, units, inputs);
                ActivationFunctions.AddBiasAndForward<T>(layer.Activation, Z[l].AsSpan(0, count * units), biases[l], A[l].AsSpan(0, count * units), count, units);
            }
        }

        /// <summary>
        /// Layers 2 and up of a point from the slot's layer-1 activations, on this thread. A layer whose
        /// input is mostly exact zeros (ReLU's) at the parameters' first chunk takes the sparse product
        /// from then on, any other the dense one: the same bits, in less time.
        /// </summary>
        public void Forward(Network<double> shape, PointParameters<T> p, int count)
        {
            for (int l = 1; l < shape.Layers.Count; l++)
            {
                var layer = shape.Layers[l];
                int units = layer.Units, inputs = layer.Inputs;
                if (!p.Made) p.Choose(l, A[l - 1].AsSpan(0, count * inputs), Scratch.W[l]);
                if (p.Sparse[l]) _sparse.Run(p.Packed[l], A[l - 1].AsSpan(0, count * inputs), count, inputs, Z[l], units);
                else _gemm.Run(PointJob<T>.Alone, MatrixRef<T>.RowMajor(A[l - 1], inputs), MatrixRef<T>.TransposeOf(p.W[l], inputs), Z[l], count, units, inputs);
                ActivationFunctions.AddBiasAndForward<T>(layer.Activation, Z[l].AsSpan(0, count * units), p.B[l], A[l].AsSpan(0, count * units), count, units);
            }
            p.Made = true;
        }

        /// <summary>The chunk's cost (times its rows, as <see cref="Evaluator{T}"/> adds chunks) and its correct rows.</summary>
        public (double Cost, long Correct) Score(T[] t, int count, Loss loss)
        {
            int n = count * _outputs;
            return (LossFunctions.Cost<T>(loss, Z[^1].AsSpan(0, n), A[^1].AsSpan(0, n), t.AsSpan(0, n), count, _outputs) * count,
                Metrics.CountCorrect<T>(A[^1].AsSpan(0, n), t.AsSpan(0, n), count, _outputs));
        }
    }

    /// <summary>
    /// A point's parameters for layers 2 and up (index 0 unused): biases, and each layer's weights as
    /// the dense product reads them or, where <see cref="Choose"/> picked the sparse product, packed for
    /// it. Kept (<paramref name="keep"/>) for the chunks after the first, a set holds only the form its
    /// product reads: its weights are interpolated into a slot's scratch set first.
    /// </summary>
    private sealed class PointParameters<T>(Network<double> shape, bool keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T[][] W = [[], .. shape.Layers.Skip(1).Select(l => keep ? [] : new T[l.Weights.Length])];
        public readonly T[][] B = [[], .. shape.Layers.Skip(1).Select(l => new T[l.Biases.Length])];
        public readonly ArraySegment<T>[] Packed = new ArraySegment<T>[shape.Layers.Count];
        public readonly bool[] Sparse = new bool[shape.Layers.Count];

        /// <summary>Whether every layer has chosen its product (and a kept set holds its numbers).</summary>
        public bool Made;

        /// <summary>Bytes one kept set may take: each layer's larger form, and its biases.</summary>
        public static long Bytes(Network<double> shape) => shape.Layers.Skip(1)
            .Sum(l => Math.Max(l.Weights.Length, PointSlot<T>.Packs(l) ? SparseLeftProduct<T>.PackedLength(l.Units, l.Inputs) : 0) + (long)l.Biases.Length)
            * Unsafe.SizeOf<T>();

        /// <summary>
        /// Layer l's product for an input like <paramref name="input"/> (sparse where it is mostly zeros and
        /// the layer is at least a block wide), and its <paramref name="weights"/> in the form it reads.
        /// </summary>
        public void Choose(int l, ReadOnlySpan<T> input, T[] weights)
        {
            var layer = shape.Layers[l];
            Sparse[l] = PointSlot<T>.Packs(layer) && SparseLeftProduct<T>.Density(input) <= SparseLeftProduct<T>.WorthIt;
            if (Sparse[l])
            {
                if (Packed[l].Count == 0) Packed[l] = SparseLeftProduct<T>.Allocate(layer.Units, layer.Inputs);
                SparseLeftProduct<T>.Pack(weights, layer.Units, layer.Inputs, Packed[l]);
            }
            else if (W[l] != weights)
            {
                W[l] = [.. weights];
            }
        }
    }

    /// <summary>A chunk through A (range 0) and through the first end (range 1), their dense products on <paramref name="dense"/>.</summary>
    private sealed class EndsJob<T>(Network<double> shape, PointSlot<T> slotA, PointSlot<T> slotB, T[][] weightsA, T[][] biasesA, T[][] weightsB, T[][] biasesB, WorkerPool dense)
        : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        private T[] _x = [];
        private int _count;

        public void Chunk(T[] x, int count) => (_x, _count) = (x, count);

        public void Execute(int start, int end)
        {
            for (int i = start; i < end; i++)
                if (i == 0) slotA.Forward(shape, weightsA, biasesA, _x, _count, dense);
                else slotB.Forward(shape, weightsB, biasesB, _x, _count, dense);
        }
    }

    /// <summary>
    /// The points after t = 0 of every line (<paramref name="items"/>: line and point), for one chunk,
    /// each thread with its slot taking the next point not yet taken. Layer 1 of each point is the line
    /// between A's and the end's pre-activations; the end's are B's with its columns reordered (once per
    /// chunk and line).
    /// </summary>
    private sealed class PointJob<T>(Network<double> a, IReadOnlyList<Network<double>> ends, int[][] perm, int[][] sign, PointSlot<T>[] slots,
        (int Line, int K)[] items, int points, Loss loss, int rows)
        : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>The pool of one point's products: its own thread.</summary>
        public static readonly WorkerPool Alone = WorkerPool.ForThreads(1);
        private readonly T[][] _zEnd = [.. Enumerable.Range(0, perm.Length).Select(e => IsIdentity(perm[e], sign[e]) ? [] : new T[rows * a.Layers[0].Units])];
        private readonly T[][] _ends = new T[perm.Length][];
        private T[] _zA = [], _t = [];
        private int _count, _next;
        private Action? _side;

        /// <summary>
        /// Each item's layers above the first, interpolated at its first chunk and kept for the others,
        /// when all of them fit in <see cref="ParameterCacheBytes"/>; else null, and each chunk
        /// interpolates them again into its slot. The same numbers either way.
        /// </summary>
        private readonly PointParameters<T>?[]? _kept =
            items.Length * PointParameters<T>.Bytes(a) <= ParameterCacheBytes ? new PointParameters<T>?[items.Length] : null;

        public readonly double[,] Cost = new double[ends.Count, points];
        public readonly long[,] Correct = new long[ends.Count, points];

        public void Chunk(T[] zA, T[] zB, T[] t, int count, Action? side)
        {
            _zA = zA;
            _t = t;
            _count = count;
            _side = side;
            _next = 0;
            int n = a.Layers[0].Units;
            // z_B of each line's end: B's unit perm[e][j], negated when sign[e][j] = -1 (exact).
            for (int e = 0; e < perm.Length; e++)
            {
                if (_zEnd[e].Length == 0) { _ends[e] = zB; continue; }
                LineKernels.Columns<T>(zB, count, n, perm[e], sign[e], _zEnd[e]);
                _ends[e] = _zEnd[e];
            }
        }

        /// <summary>
        /// Slot s's thread takes the next task not yet taken until none is left: the chunk's side task
        /// first (if any), then the items. A thread that drew the side task or dearer points takes fewer;
        /// each item's figures are its own whichever slot computes them.
        /// </summary>
        public void Execute(int start, int end)
        {
            int side = _side is null ? 0 : 1, tasks = items.Length + side;
            for (int s = start; s < end; s++)
                for (int task; (task = Interlocked.Increment(ref _next) - 1) < tasks;)
                {
                    if (task < side)
                    {
                        _side!();
                        continue;
                    }
                    int item = task - side;
                    var (e, k) = items[item];
                    (Cost[e, k], Correct[e, k]) = Evaluate(slots[s], item, e, Position(k, points));
                }
        }

        /// <summary>The chunk's cost and correct rows at point t of line e (item <paramref name="item"/>).</summary>
        private (double, long) Evaluate(PointSlot<T> slot, int item, int e, double t)
        {
            var layers = a.Layers;
            int units = layers[0].Units, size = units * _count;
            var zEnd = _ends[e].AsSpan(0, size);
            var g = layers[0].Activation;
            if (t == 1 || layers.Count == 1)
            {
                // The whole chunk's z, which the loss reads when layer 1 is the output.
                var z = slot.Z[0].AsSpan(0, size);
                if (t == 1) zEnd.CopyTo(z);
                else LineKernels.Lerp<T>(_zA.AsSpan(0, size), zEnd, T.CreateChecked(t), z);
                ActivationFunctions.Forward<T>(g, z, slot.A[0].AsSpan(0, size), _count, units);
            }
            else
            {
                // A few rows at a time through a block that stays in L1: z is not written out and read
                // back. Both steps work row by row, so the blocks change no bit.
                int step = slot.Layer1.Length / units;
                for (int r = 0; r < _count; r += step)
                {
                    int rows = Math.Min(step, _count - r), from = r * units, length = rows * units;
                    var z = slot.Layer1.AsSpan(0, length);
                    LineKernels.Lerp<T>(_zA.AsSpan(from, length), zEnd.Slice(from, length), T.CreateChecked(t), z);
                    ActivationFunctions.Forward<T>(g, z, slot.A[0].AsSpan(from, length), rows, units);
                }
            }
            var p = _kept is null ? slot.Scratch : _kept[item] ??= new PointParameters<T>(a, keep: true);
            if (_kept is null) p.Made = false;
            if (!p.Made)
                for (int l = 1; l < layers.Count; l++)
                {
                    LineKernels.Point(layers[l].Weights, ends[e].Layers[l].Weights, t, slot.Scratch.W[l].AsSpan());
                    LineKernels.Point(layers[l].Biases, ends[e].Layers[l].Biases, t, p.B[l].AsSpan());
                }
            slot.Forward(a, p, _count);
            return slot.Score(_t, _count, loss);
        }
    }

    /// <summary>max over the points of L(t) - ((1 - t) L(0) + t L(1)); the ends contribute 0, so it is never negative.</summary>
    public static (double Barrier, double T) Barrier(IReadOnlyList<PathPoint> points)
    {
        double first = points[0].Loss, last = points[^1].Loss;
        double best = 0, at = 0;
        foreach (var p in points)
        {
            // The chord as L(0) + t (L(1) - L(0)): exactly L(0) everywhere when the ends are equal.
            double excess = p.Loss - (first + p.T * (last - first));
            if (excess > best) { best = excess; at = p.T; }
        }
        return (best, at);
    }

    /// <summary>
    /// Writes theta_A + t (theta_B - theta_A) into <paramref name="into"/>, and exactly theta_B at t = 1.
    /// This form, rather than (1 - t) theta_A + t theta_B, gives exactly theta_A at every t when A = B.
    /// </summary>
    public static void Interpolate(Network<double> a, Network<double> b, double t, Network<double> into)
    {
        for (int l = 0; l < a.Layers.Count; l++)
        {
            Lerp(a.Layers[l].Weights, b.Layers[l].Weights, t, into.Layers[l].Weights);
            Lerp(a.Layers[l].Biases, b.Layers[l].Biases, t, into.Layers[l].Biases);
        }
    }

    private static void Lerp(double[] x, double[] y, double t, double[] into)
    {
        for (int i = 0; i < x.Length; i++) into[i] = t == 1 ? y[i] : x[i] + t * (y[i] - x[i]);
    }

    /// <summary>
    /// Throws <see cref="DataException"/> naming B when the two models normalize their inputs differently:
    /// points between them would mix two input scales, so there is no loss path to measure. Cheap, so
    /// callers check it before any alignment.
    /// </summary>
    public static void CheckSameNormalization<T>(Network<T> a, Network<T> b, string nameA, string nameB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (SameNormalization(a.Normalization, b.Normalization)) return;
        string how = (a.Normalization, b.Normalization) switch
        {
            (null, _) => $"{nameB} z-scores them, {nameA} does not",
            (_, null) => $"{nameA} z-scores them, {nameB} does not",
            var (x, y) => Difference(x, y),
        };
        throw new DataException($"{nameB}: normalizes its inputs differently from {nameA} ({how}), so there is no straight line between them; "
            + "train both with the same normalization on the same rows (runs that hold out a fraction of the data need the same split seed)");
    }

    private static string Difference(Normalization x, Normalization y)
    {
        if (x.Mean.Length != y.Mean.Length) return $"over {x.Mean.Length} and {y.Mean.Length} inputs";
        for (int i = 0; i < x.Mean.Length; i++)
            if (x.Mean[i] != y.Mean[i] || x.Std[i] != y.Std[i])
                return $"input {i + 1}: mean {x.Mean[i]:G6} and {y.Mean[i]:G6}, std {x.Std[i]:G6} and {y.Std[i]:G6}";
        return "the same numbers";
    }

    private static bool SameNormalization(Normalization? x, Normalization? y) =>
        (x is null && y is null) || (x is not null && y is not null && x.Mean.SequenceEqual(y.Mean) && x.Std.SequenceEqual(y.Std));
}
