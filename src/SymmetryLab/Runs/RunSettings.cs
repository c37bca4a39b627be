using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;

namespace SymmetryLab.Runs;

/// <summary>One training run as the command line describes it (SPEC.md <c>symlab train</c>); null means "the default".</summary>
public sealed record RunSettings
{
    /// <summary><c>--data</c>: a file, a built-in set or a generator spec.</summary>
    public string Data { get; init; } = "coffee";
    /// <summary><c>--target</c>: a CSV's target column (header name or 1-based number); null: the last.</summary>
    public string? Target { get; init; }
    /// <summary>Hidden and output widths, output last; null: from --model, else 25,15,outputs.</summary>
    public int[]? Layers { get; init; }
    /// <summary><c>--activation</c>: the hidden layers' activation.</summary>
    public Activation Activation { get; init; } = Activation.Sigmoid;
    /// <summary>One activation per hidden layer, overriding <see cref="Activation"/>; null: <see cref="Activation"/> for every hidden layer.</summary>
    public Activation[]? HiddenActivations { get; init; }
    /// <summary><c>--output-activation</c>; null: the one the loss implies.</summary>
    public Activation? OutputActivation { get; init; }
    /// <summary><c>--loss</c>; null: the one the target implies.</summary>
    public Loss? Loss { get; init; }
    /// <summary>
    /// <c>--init</c> and <c>--bias-init</c>: how the weights and the biases start, e.g. <c>Init.HeNormal</c> or
    /// <c>Init.Symmetric(Init.GlorotUniform).WithBiases(...)</c>; ignored with <see cref="Model"/>. Run records show its SPEC.md names.
    /// </summary>
    public InitScheme Init { get; init; } = Engine.Init.Default;
    /// <summary><c>--model</c>: a model file to start from instead of an initialization; null: none.</summary>
    public string? Model { get; init; }
    /// <summary>The text of <see cref="Model"/> when already read (a pipe can be read once); null: read the file.</summary>
    public string? ModelText { get; init; }
    /// <summary><c>--seed</c>: the seed of the initialization, shuffle and dropout streams.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary><c>--optimizer</c>, e.g. <c>new Adam()</c> or <c>new GradientDescent(0.5)</c>; run records show its SPEC.md name.</summary>
    public Optimizer Optimizer { get; init; } = new Adam();
    /// <summary><c>--lr</c>: overrides <see cref="Optimizer"/>'s own learning rate; null: the optimizer's, else its default (<see cref="GivenLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>The learning rate the settings give (<see cref="LearningRate"/>, else the optimizer's own); null: the optimizer's default.</summary>
    internal double? GivenLearningRate => LearningRate ?? Optimizer.LearningRate;
    /// <summary><c>--epochs</c>.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Minibatch size; null: 32, or the whole set for gd; 0: the whole set ("full").</summary>
    public int? Batch { get; init; }
    /// <summary><c>--l2</c>: the L2 penalty's coefficient (0: none).</summary>
    public double L2 { get; init; }
    /// <summary><c>--dropout</c>: the probability of dropping a hidden activation (0: none).</summary>
    public double Dropout { get; init; }
    /// <summary><c>--normalize</c>: none, or a z-score learned on the training split.</summary>
    public InputNormalization Normalize { get; init; } = InputNormalization.None;
    /// <summary><c>--precision</c>: float32 or float64.</summary>
    public Precision Precision { get; init; } = Precision.Float32;
    /// <summary><c>--threads</c> (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>A test file or a fraction of the data held out (seeded); null: the set's own test file if any.</summary>
    public string? Test { get; init; }
    /// <summary>
    /// Seed of the held-out split of a fractional <see cref="Test"/>, apart from <see cref="Seed"/> so that
    /// runs from different seeds train on the same rows (and fit the same normalization).
    /// </summary>
    public ulong SplitSeed { get; init; } = DefaultSplitSeed;

    /// <summary>The split seed when none is given: one fixed value, so every run of a data set splits it alike.</summary>
    public const ulong DefaultSplitSeed = Dataset.DefaultSplitSeed;
    /// <summary><c>--out</c>: the run folder to write; null: none.</summary>
    public string? Out { get; init; }
    /// <summary><c>--perturb EPS[:LAYER]</c>: added to W_LAYER[1,1] after initialization; null: none.</summary>
    public Lab.Perturbation? Perturb { get; init; }
    /// <summary><c>--record weights:EVERY</c>: write trajectory.csv every EVERY steps (needs Out); null: no trajectory.</summary>
    public int? RecordEvery { get; init; }
}
