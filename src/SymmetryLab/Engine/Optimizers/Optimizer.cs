namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients. It sees each parameter tensor as a pair of spans
/// (values, gradients), by slot number, and keeps whatever state it needs per slot.
/// Every element is updated by the same sequence of roundings (vector body or scalar tail alike: only
/// +, -, *, / and sqrt, never a fused multiply-add), so equal parameters with equal gradients stay equal.
/// </summary>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
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
