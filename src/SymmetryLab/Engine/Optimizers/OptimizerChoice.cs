using System.Globalization;

namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Which optimizer a run uses and its learning rate: a description (<see cref="Adam"/>,
/// <see cref="GradientDescent"/>, <see cref="Sgd"/>, <see cref="Momentum"/>) that
/// <see cref="TrainingOptions.Optimizer"/> holds; the trainer makes the working optimizer of its
/// precision from it.
/// </summary>
/// <param name="Name">The optimizer's name in SPEC.md (gd, sgd, momentum, adam).</param>
/// <param name="LearningRate">The learning rate; null: <see cref="DefaultLearningRate"/>.</param>
public abstract record Optimizer(string Name, double? LearningRate)
{
    /// <summary>The learning rate used when none is given (SPEC.md: 0.001 for adam, 0.01 otherwise).</summary>
    public double DefaultLearningRate => Optimizer<double>.DefaultLearningRate(Name);

    /// <summary>Whether a run of this optimizer takes the whole training set as one batch unless told otherwise (gd).</summary>
    public virtual bool FullBatchByDefault => false;

    /// <summary>The working optimizer in precision <typeparamref name="T"/>, with <paramref name="learningRate"/>.</summary>
    internal Optimizer<T> Create<T>(double learningRate) where T : unmanaged, IFloatingPointIeee754<T> => Optimizer<T>.Create(Name, learningRate);

    /// <summary>The names of SPEC.md: gd, sgd, momentum, adam.</summary>
    public static IReadOnlyList<string> Names => Optimizer<double>.Names;

    /// <summary>The description named <paramref name="name"/> (gd, sgd, momentum, adam) with the default learning rate.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static Optimizer Parse(string name) => name switch
    {
        "gd" => new GradientDescent(),
        "sgd" => new Sgd(),
        "momentum" => new Momentum(),
        "adam" => new Adam(),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (known: {string.Join(", ", Optimizer<double>.Names)})", nameof(name)),
    };

    /// <summary>A name of SPEC.md (gd, sgd, momentum, adam) as a description, so settings read from text keep working.</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static implicit operator Optimizer(string name) => Parse(name);

    /// <summary>The name, and the learning rate when one is set: "adam" or "adam (lr 0.01)".</summary>
    public override string ToString() => LearningRate is { } lr ? $"{Name} (lr {lr.ToString("R", CultureInfo.InvariantCulture)})" : Name;
}

/// <summary>Plain gradient descent, w := w - lr dJ/dw, on the whole training set per step unless a batch size is given (SPEC.md "gd").</summary>
/// <param name="LearningRate">The learning rate; null: 0.01.</param>
public sealed record GradientDescent(double? LearningRate = null) : Optimizer("gd", LearningRate)
{
    /// <inheritdoc/>
    public override bool FullBatchByDefault => true;
}

/// <summary>Stochastic gradient descent: the rule of <see cref="GradientDescent"/> on minibatches (SPEC.md "sgd").</summary>
/// <param name="LearningRate">The learning rate; null: 0.01.</param>
public sealed record Sgd(double? LearningRate = null) : Optimizer("sgd", LearningRate);

/// <summary>PyTorch's SGD with momentum 0.9 (SPEC.md "momentum"): v := 0.9 v + dJ/dw, w := w - lr v.</summary>
/// <param name="LearningRate">The learning rate; null: 0.01.</param>
public sealed record Momentum(double? LearningRate = null) : Optimizer("momentum", LearningRate);

/// <summary>Adam exactly as PyTorch's torch.optim.Adam (SPEC.md "adam"): beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, bias-corrected.</summary>
/// <param name="LearningRate">The learning rate; null: 0.001.</param>
public sealed record Adam(double? LearningRate = null) : Optimizer("adam", LearningRate);
