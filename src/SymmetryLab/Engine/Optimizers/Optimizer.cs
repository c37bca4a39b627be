using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients. It sees each parameter tensor as a pair of spans
/// (values, gradients), by slot number, and keeps whatever state it needs per slot.
/// Every element is updated by the same sequence of roundings (vector body or scalar tail alike: only
/// +, -, *, / and sqrt, never a fused multiply-add), so equal parameters with equal gradients stay equal.
/// </summary>
internal abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    public double LearningRate { get; }

    /// <summary>Steps taken so far (Adam's t).</summary>
    public long Steps { get; private set; }

    public abstract string Name { get; }

    /// <summary>Called once per slot before the first step, with the slot's length.</summary>
    public abstract void Register(int slot, int length);

    /// <summary>Starts a step (advances t).</summary>
    public void BeginStep() => Steps++;

    public abstract void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients);

    /// <summary>Below this many parameters a tensor is updated on the calling thread alone.</summary>
    internal const int ParallelThreshold = 1 << 15;

    /// <summary>
    /// <see cref="Update(int, Span{T}, ReadOnlySpan{T})"/> split over <paramref name="pool"/> in
    /// contiguous slices. Every element's update is the same arithmetic whichever slice holds it
    /// (the optimizers use no fused multiply-add and no cross-element reduction), so the result does
    /// not depend on the number of threads.
    /// </summary>
    internal void Update(int slot, T[] values, T[] gradients, WorkerPool pool)
    {
        if (!SupportsSlices || pool.Threads == 1 || values.Length < ParallelThreshold)
        {
            Update(slot, values, gradients);
            return;
        }
        _sliceJob.Set(this, slot, values, gradients);
        pool.Run(_sliceJob, (values.Length + SliceJob.Block - 1) / SliceJob.Block);
        _sliceJob.Set(null, 0, [], []);
    }

    /// <summary>Whether <see cref="UpdateSlice"/> is implemented (then updates can be split over threads).</summary>
    protected virtual bool SupportsSlices => false;

    /// <summary>Updates elements [offset, offset + values.Length) of the slot; values and gradients are that slice.</summary>
    protected virtual void UpdateSlice(int slot, int offset, Span<T> values, ReadOnlySpan<T> gradients) =>
        throw new NotSupportedException($"{Name} does not update slices");

    private readonly SliceJob _sliceJob = new();

    private sealed class SliceJob : IRangeJob
    {
        public const int Block = 1024;
        private Optimizer<T>? _optimizer;
        private int _slot;
        private T[] _values = [], _gradients = [];

        public void Set(Optimizer<T>? optimizer, int slot, T[] values, T[] gradients)
        {
            _optimizer = optimizer; _slot = slot; _values = values; _gradients = gradients;
        }

        public void Execute(int start, int end)
        {
            int from = start * Block, to = Math.Min(end * Block, _values.Length);
            _optimizer!.UpdateSlice(_slot, from, _values.AsSpan(from, to - from), _gradients.AsSpan(from, to - from));
        }
    }

    /// <summary>Whether the optimizer is minibatch by default (gd is full batch).</summary>
    public virtual bool FullBatchByDefault => false;

    public static Optimizer<T> Create(string name, double learningRate) => name switch
    {
        "gd" => new GradientDescent<T>(learningRate, "gd"),
        "sgd" => new GradientDescent<T>(learningRate, "sgd"),
        "momentum" => new Momentum<T>(learningRate),
        "adam" => new Adam<T>(learningRate),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (known: gd, sgd, momentum, adam)"),
    };

    public static readonly string[] Names = ["gd", "sgd", "momentum", "adam"];

    /// <summary>SPEC.md defaults: 0.001 for adam, 0.01 otherwise.</summary>
    public static double DefaultLearningRate(string name) => name == "adam" ? 0.001 : 0.01;
}
