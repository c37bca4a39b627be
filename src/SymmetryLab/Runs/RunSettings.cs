using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Runs;

/// <summary>One training run as the command line describes it (SPEC.md <c>symlab train</c>); null means "the default".</summary>
public sealed record RunSettings
{
    public string Data { get; init; } = "coffee";
    public string? Target { get; init; }
    /// <summary>Hidden and output widths, output last; null: from --model, else 25,15,outputs.</summary>
    public int[]? Layers { get; init; }
    public Activation Activation { get; init; } = Activation.Sigmoid;
    /// <summary>One activation per hidden layer, overriding <see cref="Activation"/>; null: <see cref="Activation"/> for every hidden layer.</summary>
    public Activation[]? HiddenActivations { get; init; }
    public Activation? OutputActivation { get; init; }
    public Loss? Loss { get; init; }
    public string Init { get; init; } = "glorot-uniform";
    public string BiasInit { get; init; } = "zeros";
    public string? Model { get; init; }
    /// <summary>The text of <see cref="Model"/> when already read (a pipe can be read once); null: read the file.</summary>
    public string? ModelText { get; init; }
    public ulong Seed { get; init; } = 1;
    public string Optimizer { get; init; } = "adam";
    public double? LearningRate { get; init; }
    public int Epochs { get; init; } = 20;
    /// <summary>Minibatch size; null: 32, or the whole set for gd; 0: the whole set ("full").</summary>
    public int? Batch { get; init; }
    public double L2 { get; init; }
    public double Dropout { get; init; }
    /// <summary>"none" or "zscore".</summary>
    public string Normalize { get; init; } = "none";
    /// <summary>"float32" or "float64".</summary>
    public string Precision { get; init; } = "float32";
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
    public string? Out { get; init; }
    /// <summary><c>--perturb EPS[:LAYER]</c>: added to W_LAYER[1,1] after initialization; null: none.</summary>
    public Lab.Perturbation? Perturb { get; init; }
    /// <summary><c>--record weights:EVERY</c>: write trajectory.csv every EVERY steps (needs Out); null: no trajectory.</summary>
    public int? RecordEvery { get; init; }
}
