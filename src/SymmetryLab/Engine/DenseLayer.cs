using System.Numerics.Tensors;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

/// <summary>
/// A fully connected layer: <c>units</c> units, each with a weight per input and a bias.
/// <c>W[j, i]</c> (row j of <see cref="Weights"/>) is unit j's weight from input i, as in the model file.
/// </summary>
/// <remarks>
/// Forward, for sample b:
///     z[b, j] = sum_i W[j, i] a_prev[b, i] + bias[j],      a[b, j] = g(z[b, j])
/// Backward (the chain rule, with delta = dJ/dz):
///     delta[b, j]     = dJ/da[b, j] * g'(z[b, j])
///     dJ/dW[j, i]     = sum_b delta[b, j] a_prev[b, i]      (delta[l][j] * a[l-1][i] of SPEC.md)
///     dJ/dbias[j]     = sum_b delta[b, j]
///     dJ/da_prev[b, i] = sum_j W[j, i] delta[b, j]          (what the layer below needs)
/// The 1/m of the mean cost is already in the output layer's delta.
/// Buffers are allocated for a batch capacity and reused, so a training step allocates nothing.
/// </remarks>
public sealed class DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer of <paramref name="units"/> units over <paramref name="inputs"/> inputs, its weights and biases all zero (an initializer fills them).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one input or unit.</exception>
    /// <exception cref="ArgumentException">More weights than one array can hold.</exception>
    public DenseLayer(int inputs, int units, Activation activation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if ((long)units * inputs > Array.MaxLength)
            throw new ArgumentException($"a layer of {units} units over {inputs} inputs would have {(long)units * inputs} weights, more than one array can hold");
        Inputs = inputs;
        Units = units;
        Activation = activation;
        Weights = new T[units * inputs];
        Biases = new T[units];
        WeightGradients = new T[units * inputs];
        BiasGradients = new T[units];
    }

    /// <summary>Inputs of each unit (the width of the layer below, or the network's inputs).</summary>
    public int Inputs { get; }

    /// <summary>Units of the layer.</summary>
    public int Units { get; }

    /// <summary>g, applied to each unit's z.</summary>
    public Activation Activation { get; }

    /// <summary>W, units x inputs, row-major: W[j, i] = Weights[j * Inputs + i].</summary>
    public T[] Weights { get; }

    /// <summary>The bias of each unit (units values).</summary>
    public T[] Biases { get; }

    /// <summary>dJ/dW of the last backward pass, laid out as <see cref="Weights"/>.</summary>
    public T[] WeightGradients { get; }

    /// <summary>dJ/dbias of the last backward pass, laid out as <see cref="Biases"/>.</summary>
    public T[] BiasGradients { get; }

    /// <summary>Pre-activations z of the last forward pass (batch x units).</summary>
    public T[] Z { get; private set; } = [];
    /// <summary>Activations a = g(z) of the last forward pass, after dropout when training (batch x units).</summary>
    public T[] A { get; private set; } = [];
    /// <summary>delta = dJ/dz of the last backward pass (batch x units).</summary>
    public T[] Delta { get; private set; } = [];
    /// <summary>dJ/da of the last backward pass (batch x units), filled by the layer above.</summary>
    public T[] DA { get; private set; } = [];

    /// <summary>Inverted-dropout mask of the last training forward pass: 0 or 1/(1-p) per activation.</summary>
    internal T[] DropoutMask { get; private set; } = [];

    /// <summary>g(z) before the dropout mask: the activation's slope (sigmoid a(1 - a), tanh 1 - a^2) needs it.</summary>
    private T[] _undropped = [];

    private readonly GemmJob<T> _gemm = new();
    private int _capacity;

    /// <summary>W[unit, input], both 0-based: the weight from <paramref name="input"/> into <paramref name="unit"/>.</summary>
    public T Weight(int unit, int input) => Weights[unit * Inputs + input];

    /// <summary>Weights and biases: units x (inputs + 1).</summary>
    public int ParameterCount => Weights.Length + Biases.Length;

    /// <summary>Makes the buffers hold at least <paramref name="batch"/> samples (allocates only when growing).</summary>
    internal void EnsureCapacity(int batch)
    {
        if (batch <= _capacity) return;
        _capacity = batch;
        Z = new T[batch * Units];
        A = new T[batch * Units];
        Delta = new T[batch * Units];
        DA = new T[batch * Units];
        DropoutMask = new T[batch * Units];
        _undropped = new T[batch * Units];
    }

    /// <summary>z = a_prev W^T + bias, a = g(z), for <paramref name="batch"/> rows of <paramref name="input"/>.</summary>
    internal void Forward(T[] input, int batch, WorkerPool pool)
    {
        EnsureCapacity(batch);
        // z = a_prev W^T: W^T is W read through strides (the product packs it), no copy.
        _gemm.Run(pool, MatrixRef<T>.RowMajor(input, Inputs), MatrixRef<T>.TransposeOf(Weights, Inputs), Z, batch, Units, Inputs);
        ActivationFunctions.AddBiasAndForward<T>(Activation, Z, Biases, A, batch, Units);
    }

    /// <summary>
    /// Recomputes unit <paramref name="unit"/>'s column of <see cref="Z"/> and <see cref="A"/> alone (after
    /// its weights or bias changed), with the bits a whole <see cref="Forward"/> gives it: each z is the
    /// same FMA chain over the inputs whatever columns the product computes, and the bias and an
    /// element-wise activation act on each value alone. Not for softmax, which mixes a row's units.
    /// <paramref name="zColumn"/> and <paramref name="aColumn"/> are scratch of at least <paramref name="batch"/>.
    /// </summary>
    internal void ForwardUnit(T[] input, int batch, int unit, T[] zColumn, T[] aColumn)
    {
        if (Activation == Activation.Softmax) throw new InvalidOperationException("a softmax unit depends on its row's other units");
        Gemm.Multiply(MatrixRef<T>.RowMajor(input, Inputs), MatrixRef<T>.TransposeOf(Weights, Inputs), Z, Units, Inputs, 0, batch, unit, unit + 1, small: true);
        for (int r = 0; r < batch; r++) zColumn[r] = Z[r * Units + unit];
        ActivationFunctions.AddBiasAndForward<T>(Activation, zColumn.AsSpan(0, batch), Biases.AsSpan(unit, 1), aColumn.AsSpan(0, batch), batch, 1);
        for (int r = 0; r < batch; r++)
        {
            Z[r * Units + unit] = zColumn[r];
            A[r * Units + unit] = aColumn[r];
        }
    }

    /// <summary>
    /// Inverted dropout: each activation is kept with probability 1 - p and then scaled by 1/(1 - p),
    /// so the expected activation is unchanged and nothing needs rescaling at prediction time.
    /// </summary>
    internal void ApplyDropout(double p, Rng rng, int batch)
    {
        int n = batch * Units;
        T keepScale = T.CreateChecked(1.0 / (1.0 - p));
        A.AsSpan(0, n).CopyTo(_undropped);
        for (int i = 0; i < n; i++)
        {
            DropoutMask[i] = rng.NextDouble() < p ? T.Zero : keepScale;
            A[i] *= DropoutMask[i];
        }
    }

    /// <summary>
    /// From dJ/da (in <see cref="DA"/>, or delta directly when <paramref name="deltaIsSet"/>), computes
    /// delta, dJ/dW, dJ/dbias and, when <paramref name="inputGradient"/> is given, dJ/da_prev.
    /// </summary>
    internal void Backward(T[] input, int batch, WorkerPool pool, T[]? inputGradient, bool deltaIsSet = false, bool dropout = false)
    {
        if (!deltaIsSet)
        {
            if (dropout)
                TensorPrimitives.Multiply(DA.AsSpan(0, batch * Units), DropoutMask.AsSpan(0, batch * Units), DA.AsSpan(0, batch * Units));
            ActivationFunctions.Backward<T>(Activation, Z, dropout ? _undropped : A, DA, Delta, batch, Units);
        }

        // dJ/dW[j, i] = sum_b delta[b, j] a_prev[b, i], i.e. dW = delta^T a_prev (delta^T read through strides).
        _gemm.Run(pool, MatrixRef<T>.TransposeOf(Delta, Units), MatrixRef<T>.RowMajor(input, Inputs), WeightGradients, Units, Inputs, batch);

        // dJ/dbias[j] = sum_b delta[b, j], summed over b in order for every j alike.
        ActivationFunctions.SumRows<T>(Delta, BiasGradients, batch, Units);

        if (inputGradient is not null)
        {
            // dJ/da_prev[b, i] = sum_j delta[b, j] W[j, i], i.e. dA_prev = delta W.
            _gemm.Run(pool, MatrixRef<T>.RowMajor(Delta, Units), MatrixRef<T>.RowMajor(Weights, Inputs), inputGradient, batch, Inputs, Units);
        }
    }

    /// <summary>"Dense(2 =&gt; 3, sigmoid; 9 parameters)".</summary>
    public override string ToString() => $"Dense({Inputs} => {Units}, {Activation.Name()}; {ParameterCount} parameters)";
}
