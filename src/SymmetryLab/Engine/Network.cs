using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

/// <summary>
/// A feed-forward stack of <see cref="DenseLayer{T}"/>; layer 1 is the first hidden layer, the last is
/// the output (SPEC.md numbering; the list itself is 0-based). <typeparamref name="T"/> is the precision:
/// float or double, one engine.
/// </summary>
public sealed partial class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer<T>[] _layers;
    private T[] _input = [];

    /// <summary>
    /// A network of <paramref name="inputs"/> inputs and <paramref name="layers"/> (output last) whose
    /// weights and biases are all zero; <see cref="Network.Create{T}"/> builds one initialized from a seed.
    /// </summary>
    public Network(int inputs, IEnumerable<(int Units, Activation Activation)> layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        Inputs = inputs;
        var list = new List<DenseLayer<T>>();
        int fanIn = inputs;
        foreach (var (units, activation) in layers)
        {
            list.Add(new DenseLayer<T>(fanIn, units, activation));
            fanIn = units;
        }
        if (list.Count == 0) throw new ArgumentException("a network needs at least an output layer", nameof(layers));
        for (int l = 0; l < list.Count - 1; l++)
            if (list[l].Activation == Activation.Softmax)
                throw new ArgumentException($"layer {l + 1}: softmax is for the output layer only", nameof(layers));
        _layers = [.. list];
    }

    /// <summary>Features per row.</summary>
    public int Inputs { get; }

    /// <summary>Units of the output layer.</summary>
    public int Outputs => _layers[^1].Units;

    /// <summary>The layers, first hidden layer first (index 0 is SPEC.md's layer 1).</summary>
    public IReadOnlyList<DenseLayer<T>> Layers => _layers;

    /// <summary>The output layer.</summary>
    public DenseLayer<T> Output => _layers[^1];

    /// <summary>Applied to raw inputs before layer 1 (stored in the model file); null for none.</summary>
    public Normalization? Normalization { get; set; }

    /// <summary>Weights and biases, all layers.</summary>
    public int ParameterCount => _layers.Sum(l => l.ParameterCount);

    /// <summary>The widths, e.g. "2-3-1".</summary>
    public string Shape => string.Join("-", new[] { Inputs }.Concat(_layers.Select(l => l.Units)));

    /// <summary>
    /// Runs <paramref name="batch"/> rows of <paramref name="x"/> (batch x <see cref="Inputs"/>, row-major,
    /// already normalized) through every layer on the calling thread, filling each layer's
    /// <see cref="DenseLayer{T}.Z"/> and <see cref="DenseLayer{T}.A"/>; returns the output layer's A
    /// (batch x <see cref="Outputs"/>), a buffer the next pass overwrites. <see cref="Predict(ReadOnlySpan{double})"/>
    /// normalizes raw rows and returns a copy.
    /// </summary>
    public T[] Forward(T[] x, int batch) => Forward(x, batch, WorkerPool.ForThreads(1));

    /// <summary>Runs a batch (already normalized, batch x inputs) through every layer; returns the output activations.</summary>
    internal T[] Forward(T[] x, int batch, WorkerPool pool, double dropout = 0, Rng? dropoutRng = null)
    {
        _input = x;
        T[] a = x;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            layer.Forward(a, batch, pool);
            if (dropout > 0 && l < _layers.Length - 1)
                layer.ApplyDropout(dropout, dropoutRng ?? throw new ArgumentNullException(nameof(dropoutRng)), batch);
            a = layer.A;
        }
        return a;
    }

    /// <summary>
    /// The chain rule on one batch, on the calling thread: <see cref="Forward(T[], int)"/>, then backward
    /// through every layer, filling each layer's <see cref="DenseLayer{T}.WeightGradients"/> and
    /// <see cref="DenseLayer{T}.BiasGradients"/> with dJ/dW and dJ/dbias of the mean cost J over the batch
    /// (plus <paramref name="l2"/>/(2m) sum W^2, m = <paramref name="batch"/>); returns J.
    /// <paramref name="targets"/> is batch x <see cref="Outputs"/>.
    /// </summary>
    /// <exception cref="ModelMismatchException">The loss does not fit the output activation.</exception>
    public double ComputeGradients(T[] x, T[] targets, int batch, Loss loss, double l2 = 0) =>
        ComputeGradients(x, targets, batch, loss, WorkerPool.ForThreads(1), l2);

    /// <summary>
    /// Forward and backward on one batch: fills every layer's gradients with dJ/dW and dJ/dbias of the
    /// mean cost (plus <paramref name="l2"/>/(2m) sum W^2) and returns J.
    /// </summary>
    internal double ComputeGradients(T[] x, T[] targets, int batch, Loss loss, WorkerPool pool, double l2 = 0, double dropout = 0, Rng? dropoutRng = null)
    {
        CheckLoss(loss);
        Forward(x, batch, pool, dropout, dropoutRng);
        var output = Output;
        double cost = LossFunctions.Cost<T>(loss, output.Z, output.A, targets, batch, output.Units);

        if (LossFunctions.IsFused(loss))
            LossFunctions.FusedDelta<T>(output.A, targets, output.Delta, batch, output.Units, loss);
        else
            LossFunctions.OutputGradient<T>(loss, output.A, targets, output.DA, batch, output.Units);

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            T[] input = l == 0 ? _input : _layers[l - 1].A;
            T[]? inputGradient = l == 0 ? null : _layers[l - 1].DA;
            bool deltaIsSet = l == _layers.Length - 1 && LossFunctions.IsFused(loss);
            layer.Backward(input, batch, pool, inputGradient, deltaIsSet, dropout > 0 && l < _layers.Length - 1);
        }

        if (l2 > 0)
        {
            cost += L2Penalty(l2, batch);
            AddL2Gradient(l2, batch);
        }
        return cost;
    }

    /// <summary>
    /// <see cref="ComputeGradients(T[], T[], int, Loss, double)"/> for training: the same gradients and cost, bit for bit, but a tiny
    /// network (without dropout) takes <see cref="TinyNetworkPass{T}"/>, which keeps only the output
    /// layer's Z and A besides the gradients; the lab, which reads every buffer, calls ComputeGradients.
    /// </summary>
    /// <remarks><paramref name="inputsUnchanged"/>: the caller never changes the contents of x (a full batch), so it may be reused when it comes again.</remarks>
    internal double TrainingGradients(T[] x, T[] targets, int batch, Loss loss, WorkerPool pool, double l2, double dropout, Rng? dropoutRng, bool inputsUnchanged = false, bool referencePath = false)
    {
        if (referencePath || dropout > 0 || !TinyPassAllowed || !(_fitsTinyPass ??= TinyNetworkPass<T>.Fits(this)))
            return ComputeGradients(x, targets, batch, loss, pool, l2, dropout, dropoutRng);
        CheckLoss(loss);
        _input = x;
        Output.EnsureCapacity(batch);
        return (_tiny ??= new TinyNetworkPass<T>(this)).ComputeGradients(x, targets, batch, loss, l2, inputsUnchanged);
    }

    private void CheckLoss(Loss loss) => ModelMismatchException.CheckLoss(loss, Output.Activation);

    private TinyNetworkPass<T>? _tiny;
    private bool? _fitsTinyPass; // the shape never changes

    /// <summary>Off, training takes the general pass even for a tiny network (the tests compare the two).</summary>
    internal bool TinyPassAllowed { get; set; } = true;

    /// <summary>Whether a training step has taken the tiny pass (the tests check that the reference path is taken when asked).</summary>
    internal bool TookTinyPass => _tiny is not null;

    /// <summary>The L2 term of the cost: l2/(2m) sum W^2, over weights only (not biases).</summary>
    internal double L2Penalty(double l2, int batch)
    {
        double sum = 0;
        foreach (var layer in _layers)
            foreach (var w in layer.Weights) sum += double.CreateChecked(w) * double.CreateChecked(w);
        return l2 / (2.0 * batch) * sum;
    }

    /// <summary>Its gradient: dJ/dW += (l2/m) W.</summary>
    internal void AddL2Gradient(double l2, int batch)
    {
        T scale = T.CreateChecked(l2 / batch);
        foreach (var layer in _layers)
            for (int i = 0; i < layer.Weights.Length; i++) layer.WeightGradients[i] += scale * layer.Weights[i];
    }

    /// <summary>The cost on a batch without touching gradients (for finite differences and evaluation).</summary>
    internal double Cost(T[] x, T[] targets, int batch, Loss loss, WorkerPool pool, double l2 = 0)
    {
        Forward(x, batch, pool);
        double cost = LossFunctions.Cost<T>(loss, Output.Z, Output.A, targets, batch, Output.Units);
        return l2 > 0 ? cost + L2Penalty(l2, batch) : cost;
    }

    /// <summary>
    /// <see cref="Cost"/> after a change to one unit's weights or bias (layer <paramref name="layer"/> and
    /// unit <paramref name="unit"/>, from 0), when every layer still holds the forward pass of
    /// <paramref name="x"/> from before the change: the layers below cannot have moved and, unless the
    /// layer is softmax, neither can the unit's neighbours, so only its column and the layers above are
    /// recomputed. The same bits as <see cref="Cost"/>: every value is computed as a whole pass computes it.
    /// </summary>
    internal double CostAfterUnitChange(int layer, int unit, T[] x, T[] targets, int batch, Loss loss, WorkerPool pool, double l2, T[] zColumn, T[] aColumn)
    {
        RecomputeUnit(layer, unit, x, batch, pool, zColumn, aColumn);
        for (int l = layer + 1; l < _layers.Length; l++) _layers[l].Forward(_layers[l - 1].A, batch, pool);
        double cost = LossFunctions.Cost<T>(loss, Output.Z, Output.A, targets, batch, Output.Units);
        return l2 > 0 ? cost + L2Penalty(l2, batch) : cost;
    }

    /// <summary>Recomputes one unit's column of Z and A from the layer below (the whole layer for softmax).</summary>
    internal void RecomputeUnit(int layer, int unit, T[] x, int batch, WorkerPool pool, T[] zColumn, T[] aColumn)
    {
        var changed = _layers[layer];
        T[] input = layer == 0 ? x : _layers[layer - 1].A;
        if (changed.Activation == Activation.Softmax) changed.Forward(input, batch, pool);
        else changed.ForwardUnit(input, batch, unit, zColumn, aColumn);
    }

    /// <summary>A deep copy in precision <typeparamref name="TOther"/> (weights converted, buffers fresh).</summary>
    public Network<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var copy = new Network<TOther>(Inputs, _layers.Select(l => (l.Units, l.Activation))) { Normalization = Normalization };
        for (int l = 0; l < _layers.Length; l++)
        {
            for (int i = 0; i < _layers[l].Weights.Length; i++) copy.Layers[l].Weights[i] = TOther.CreateChecked(_layers[l].Weights[i]);
            for (int i = 0; i < _layers[l].Biases.Length; i++) copy.Layers[l].Biases[i] = TOther.CreateChecked(_layers[l].Biases[i]);
        }
        return copy;
    }

    /// <summary>A deep copy (weights, biases and normalization; fresh buffers).</summary>
    public Network<T> Clone() => Convert<T>();

    /// <summary>"Network 2-3-1 (sigmoid, sigmoid; 13 parameters)".</summary>
    public override string ToString() => $"Network {Shape} ({string.Join(", ", _layers.Select(l => l.Activation.Name()))}; {ParameterCount} parameters)";
}
