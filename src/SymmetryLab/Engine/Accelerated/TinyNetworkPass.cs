using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Accelerated;

/// <summary>
/// A training step for a tiny network (every layer at most <see cref="MaxUnits"/> units over at most
/// <see cref="MaxInputs"/> inputs: a 2-3-1, the XOR net, iris), with the samples of the batch in
/// vector lanes: one instruction computes a unit for <c>Vector&lt;T&gt;.Count</c> samples, where the
/// general path would spend its time packing and scattering 1- to 3-wide matrices.
/// </summary>
/// <remarks>
/// Every number is the one <see cref="Network{T}.ComputeGradients(T[], T[], int, Losses.Loss, double)"/> computes, bit for bit (the tests
/// compare the two): lane b of a unit's z is the FMA chain over its inputs from +0 plus the bias;
/// activations, cost and output delta go through the same functions; dJ/da_prev is the FMA chain over
/// the units above; and each weight's gradient is still one FMA chain over the samples in order, its
/// bias's a sum in order (an FMA by 1 rounds as the addition does). Those chains run with a sample's
/// inputs in the lanes instead (row b of [a_prev, 1] times delta[b, j] accumulates unit j's weights and
/// bias at once), or, for a fused output layer, with its units in the lanes (row b of delta times
/// a_prev[b, i]), whichever needs no transposing.
/// Only what training reads is kept: every gradient, and the output layer's z and a (cost, accuracy).
/// The hidden layers' buffers are not filled; ComputeGradients fills them all, for the lab.
/// </remarks>
internal sealed class TinyNetworkPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int MaxUnits = 16, MaxInputs = 32;

    private static int W => Vector<T>.Count;

    private readonly Network<T> _network;
    private readonly LaneLayer[] _layers;
    private Vector<T>[] _x = [];
    private int _blocks, _rows;
    private T[]? _lastX;

    public TinyNetworkPass(Network<T> network)
    {
        _network = network;
        _layers = [.. network.Layers.Select(l => new LaneLayer(l))];
    }

    public static bool Fits(Network<T> network) =>
        network.Layers.All(l => l.Units <= MaxUnits && l.Inputs <= MaxInputs);

    /// <summary>One layer's numbers in lanes (blocks x units vectors), and its input rows as [a_prev, 1, 0...].</summary>
    private sealed class LaneLayer(DenseLayer<T> layer)
    {
        public readonly DenseLayer<T> Layer = layer;
        /// <summary>Vectors per augmented input row: inputs and the bias's 1.</summary>
        public readonly int RowVectors = (layer.Inputs + 1 + W - 1) / W;
        public Vector<T>[] Z = [], A = [], Delta = [], DA = [];
        public T[] Rows = [];

        public void Allocate(int blocks)
        {
            int n = blocks * Layer.Units;
            Z = new Vector<T>[n];
            A = new Vector<T>[n];
            Delta = new Vector<T>[n];
            DA = new Vector<T>[n];
            int stride = RowVectors * W;
            Rows = new T[blocks * W * stride];
            for (int b = 0; b < blocks * W; b++) Rows[b * stride + Layer.Inputs] = T.One;
        }
    }

    /// <summary>Gradients of the mean cost (plus the L2 term) into every layer; returns J, as ComputeGradients does.</summary>
    /// <remarks>
    /// <paramref name="inputsUnchanged"/>: the caller never changes the contents of x (a full-batch
    /// trainer's data), so when the same array comes again its copies in lanes and rows are reused.
    /// </remarks>
    public double ComputeGradients(T[] x, T[] targets, int rows, Loss loss, double l2, bool inputsUnchanged = false)
    {
        int blocks = (rows + W - 1) / W;
        if (blocks > _blocks)
        {
            _blocks = blocks;
            _x = new Vector<T>[blocks * _network.Inputs];
            foreach (var layer in _layers) layer.Allocate(blocks);
            _lastX = null;
        }
        if (!inputsUnchanged || !ReferenceEquals(x, _lastX) || rows != _rows)
        {
            ToLanes(x, _x, rows, _network.Inputs, blocks);
            CopyRows(x, _layers[0], rows);
            _rows = rows;
            _lastX = inputsUnchanged ? x : null;
        }

        var top = _layers[^1];
        var output = top.Layer;
        int outputs = output.Units;
        bool fused = LossFunctions.IsFused(loss);
        // A fused output layer above a hidden one takes its weight gradients from the rows of delta
        // (row-major already) instead of the rows of its input (which would need transposing).
        bool deltaRows = fused && _layers.Length > 1 && outputs <= W;
        for (int l = 0; l < _layers.Length; l++)
        {
            Forward(_layers[l], l == 0 ? _x : _layers[l - 1].A, blocks);
            if (l + 1 < _layers.Length && !(deltaRows && l + 1 == _layers.Length - 1))
            {
                var next = _layers[l + 1];
                LanesToRows(_layers[l].A, next.Layer.Inputs, next.Rows, next.RowVectors * W, rows);
            }
        }

        FromLanes(top.Z, output.Z, rows, outputs);
        FromLanes(top.A, output.A, rows, outputs);
        double cost = LossFunctions.Cost<T>(loss, output.Z, output.A, targets, rows, outputs);
        if (fused)
        {
            LossFunctions.FusedDelta<T>(output.A, targets, output.Delta, rows, outputs, loss);
            ToLanes(output.Delta, top.Delta, rows, outputs, blocks);
        }
        else
        {
            LossFunctions.OutputGradient<T>(loss, output.A, targets, output.DA, rows, outputs);
            ToLanes(output.DA, top.DA, rows, outputs, blocks);
        }

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            if (l < _layers.Length - 1 || !fused)
                LaneActivations.Backward(layer.Layer.Activation, layer.Z, layer.A, layer.DA, layer.Delta, blocks, layer.Layer.Units);
            if (l > 0) InputGradient(layer, _layers[l - 1].DA, blocks);
            if (deltaRows && l == _layers.Length - 1) WeightGradientsByDeltaRows(layer, _layers[l - 1].A, rows);
            else WeightGradients(layer, rows);
        }

        if (l2 > 0)
        {
            cost += _network.L2Penalty(l2, rows);
            _network.AddL2Gradient(l2, rows);
        }
        return cost;
    }

    /// <summary>z[b, j] = (FMA chain over i of a_prev[b, i] W[j, i] from +0) + bias[j], then a = g(z).</summary>
    private static void Forward(LaneLayer lanes, Vector<T>[] input, int blocks)
    {
        var layer = lanes.Layer;
        int n = layer.Inputs, units = layer.Units;
        var w = layer.Weights;
        for (int blk = 0; blk < blocks; blk++)
            for (int j = 0; j < units; j++)
            {
                var acc = Vector<T>.Zero;
                for (int i = 0; i < n; i++) acc = ElementwiseMath.Fma(input[blk * n + i], new Vector<T>(w[j * n + i]), acc);
                lanes.Z[blk * units + j] = acc + new Vector<T>(layer.Biases[j]);
            }
        LaneActivations.Forward(layer.Activation, lanes.Z, lanes.A, blocks, units);
    }

    /// <summary>dJ/da_prev[b, i] = FMA chain over j of delta[b, j] W[j, i] from +0.</summary>
    private static void InputGradient(LaneLayer lanes, Vector<T>[] below, int blocks)
    {
        var layer = lanes.Layer;
        int n = layer.Inputs, units = layer.Units;
        var w = layer.Weights;
        for (int blk = 0; blk < blocks; blk++)
            for (int i = 0; i < n; i++)
            {
                var acc = Vector<T>.Zero;
                for (int j = 0; j < units; j++) acc = ElementwiseMath.Fma(lanes.Delta[blk * units + j], new Vector<T>(w[j * n + i]), acc);
                below[blk * n + i] = acc;
            }
    }

    /// <summary>
    /// dJ/dW[j, i] and dJ/dbias[j] for every unit: one chain per (unit, vector of [a_prev, 1]) over the
    /// samples in order, four chains side by side (a last group of fewer repeats its last chain).
    /// </summary>
    private static void WeightGradients(LaneLayer lanes, int rows)
    {
        var layer = lanes.Layer;
        int units = layer.Units, v = lanes.RowVectors, stride = v * W, chains = units * v, blockStride = units * W;
        ref T delta = ref MemoryMarshal.GetReference(LaneActivations.Flat(lanes.Delta, lanes.Delta.Length));
        ref T input = ref MemoryMarshal.GetArrayDataReference(lanes.Rows);
        for (int g = 0; g < chains; g += 4)
        {
            int c1 = Math.Min(g + 1, chains - 1), c2 = Math.Min(g + 2, chains - 1), c3 = Math.Min(g + 3, chains - 1);
            // delta[b, j] sits in lane b % W of vector (b / W) * units + j; row b of [a_prev, 1] at b * stride.
            ref T d0 = ref Unsafe.Add(ref delta, g / v * W);
            ref T d1 = ref Unsafe.Add(ref delta, c1 / v * W);
            ref T d2 = ref Unsafe.Add(ref delta, c2 / v * W);
            ref T d3 = ref Unsafe.Add(ref delta, c3 / v * W);
            ref T r0 = ref Unsafe.Add(ref input, g % v * W);
            ref T r1 = ref Unsafe.Add(ref input, c1 % v * W);
            ref T r2 = ref Unsafe.Add(ref input, c2 % v * W);
            ref T r3 = ref Unsafe.Add(ref input, c3 % v * W);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
            nint block = 0, row = 0;
            for (int b0 = 0; b0 < rows; b0 += W, block += blockStride)
            {
                int count = Math.Min(W, rows - b0);
                for (nint lane = 0; lane < count; lane++, row += stride)
                {
                    nint d = block + lane;
                    s0 = ElementwiseMath.Fma(new Vector<T>(Unsafe.Add(ref d0, d)), Vector.LoadUnsafe(ref Unsafe.Add(ref r0, row)), s0);
                    s1 = ElementwiseMath.Fma(new Vector<T>(Unsafe.Add(ref d1, d)), Vector.LoadUnsafe(ref Unsafe.Add(ref r1, row)), s1);
                    s2 = ElementwiseMath.Fma(new Vector<T>(Unsafe.Add(ref d2, d)), Vector.LoadUnsafe(ref Unsafe.Add(ref r2, row)), s2);
                    s3 = ElementwiseMath.Fma(new Vector<T>(Unsafe.Add(ref d3, d)), Vector.LoadUnsafe(ref Unsafe.Add(ref r3, row)), s3);
                }
            }
            Store(layer, s0, g / v, g % v * W);
            if (g + 1 < chains) Store(layer, s1, c1 / v, c1 % v * W);
            if (g + 2 < chains) Store(layer, s2, c2 / v, c2 % v * W);
            if (g + 3 < chains) Store(layer, s3, c3 / v, c3 % v * W);
        }
    }

    /// <summary>
    /// The same chains the other way round, for the output layer: the lanes hold the units, a row of
    /// delta (delta[b, 0..K)) times a_prev[b, i] accumulates input i's weights of every unit, and the
    /// row alone their biases (an FMA by 1, the addition's rounding).
    /// </summary>
    private void WeightGradientsByDeltaRows(LaneLayer lanes, Vector<T>[] input, int rows)
    {
        var layer = lanes.Layer;
        int n = layer.Inputs, units = layer.Units, chains = n + 1;
        // The rows of delta, with a vector's room after the last so that every row loads whole.
        if (_deltaRows.Length < rows * units + W) _deltaRows = new T[rows * units + W];
        layer.Delta.AsSpan(0, rows * units).CopyTo(_deltaRows);
        ref T deltas = ref MemoryMarshal.GetArrayDataReference(_deltaRows);
        ref T a = ref MemoryMarshal.GetReference(LaneActivations.Flat(input, input.Length));
        var one = Vector<T>.One;
        for (int g = 0; g < chains; g += 4)
        {
            int c0 = g, c1 = Math.Min(g + 1, chains - 1), c2 = Math.Min(g + 2, chains - 1), c3 = Math.Min(g + 3, chains - 1);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
            nint block = 0, row = 0;
            for (int b0 = 0; b0 < rows; b0 += W, block += n * W)
            {
                int count = Math.Min(W, rows - b0);
                for (nint lane = 0; lane < count; lane++, row += units)
                {
                    // a_prev[b, i] sits in lane b % W of vector (b / W) * n + i; input n is the bias's 1.
                    var d = Vector.LoadUnsafe(ref Unsafe.Add(ref deltas, row));
                    s0 = ElementwiseMath.Fma(c0 < n ? new Vector<T>(Unsafe.Add(ref a, block + c0 * W + lane)) : one, d, s0);
                    s1 = ElementwiseMath.Fma(c1 < n ? new Vector<T>(Unsafe.Add(ref a, block + c1 * W + lane)) : one, d, s1);
                    s2 = ElementwiseMath.Fma(c2 < n ? new Vector<T>(Unsafe.Add(ref a, block + c2 * W + lane)) : one, d, s2);
                    s3 = ElementwiseMath.Fma(c3 < n ? new Vector<T>(Unsafe.Add(ref a, block + c3 * W + lane)) : one, d, s3);
                }
            }
            StoreColumn(layer, s0, c0);
            if (g + 1 < chains) StoreColumn(layer, s1, c1);
            if (g + 2 < chains) StoreColumn(layer, s2, c2);
            if (g + 3 < chains) StoreColumn(layer, s3, c3);
        }
    }

    private T[] _deltaRows = [];

    /// <summary>Lanes j &lt; units of a chain for input <paramref name="input"/> (the bias when it is Inputs).</summary>
    private static void StoreColumn(DenseLayer<T> layer, Vector<T> s, int input)
    {
        int n = layer.Inputs;
        for (int j = 0; j < layer.Units; j++)
        {
            if (input < n) layer.WeightGradients[j * n + input] = s[j];
            else layer.BiasGradients[j] = s[j];
        }
    }

    /// <summary>Lanes of a chain vector of unit j, from input <paramref name="offset"/>: weight gradients, then the bias's.</summary>
    private static void Store(DenseLayer<T> layer, Vector<T> s, int j, int offset)
    {
        int n = layer.Inputs;
        for (int q = 0; q < W && offset + q <= n; q++)
        {
            if (offset + q < n) layer.WeightGradients[j * n + offset + q] = s[q];
            else layer.BiasGradients[j] = s[q];
        }
    }

    /// <summary>Row-major rows x width values into lanes (block b / W, lane b % W); lanes past the last row get 0.</summary>
    private static void ToLanes(T[] source, Vector<T>[] lanes, int rows, int width, int blocks)
    {
        if (width == 1)
        {
            // One value per row: the lanes in order are the rows in order.
            var flat = LaneActivations.Flat(lanes, blocks);
            source.AsSpan(0, rows).CopyTo(flat);
            flat[rows..].Clear();
            return;
        }
        ref T to = ref MemoryMarshal.GetReference(LaneActivations.Flat(lanes, blocks * width));
        ref T from = ref MemoryMarshal.GetArrayDataReference(source);
        for (int b0 = 0; b0 < blocks * W; b0 += W)
        {
            ref T block = ref Unsafe.Add(ref to, b0 * width);
            int count = Math.Min(W, rows - b0);
            for (int i = 0; i < width; i++)
            {
                ref T lane = ref Unsafe.Add(ref block, i * W);
                for (int q = 0; q < count; q++) Unsafe.Add(ref lane, q) = Unsafe.Add(ref from, (b0 + q) * width + i);
                for (int q = Math.Max(count, 0); q < W; q++) Unsafe.Add(ref lane, q) = T.Zero;
            }
        }
    }

    private static void FromLanes(Vector<T>[] lanes, T[] target, int rows, int width) =>
        LanesToRows(lanes, width, target, width, rows);

    /// <summary>Lanes (blocks of width vectors) into rows of <paramref name="stride"/> values: row b gets lane b % W of block b / W.</summary>
    private static void LanesToRows(Vector<T>[] lanes, int width, T[] target, int stride, int rows)
    {
        if (width == 1 && stride == 1)
        {
            LaneActivations.Flat(lanes, lanes.Length)[..rows].CopyTo(target);
            return;
        }
        ref T from = ref MemoryMarshal.GetReference(LaneActivations.Flat(lanes, lanes.Length));
        ref T to = ref MemoryMarshal.GetArrayDataReference(target);
        for (int b0 = 0; b0 < rows; b0 += W)
        {
            ref T block = ref Unsafe.Add(ref from, b0 * width);
            int count = Math.Min(W, rows - b0);
            for (int i = 0; i < width; i++)
            {
                ref T lane = ref Unsafe.Add(ref block, i * W);
                for (int q = 0; q < count; q++) Unsafe.Add(ref to, (b0 + q) * stride + i) = Unsafe.Add(ref lane, q);
            }
        }
    }

    /// <summary>The first layer's input rows, [x_b, 1, 0...].</summary>
    private static void CopyRows(T[] x, LaneLayer first, int rows)
    {
        int n = first.Layer.Inputs, stride = first.RowVectors * W;
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < n; i++) first.Rows[b * stride + i] = x[b * n + i];
    }
}
