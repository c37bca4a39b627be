using System.Globalization;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>
/// The values of <c>symlab train</c>'s flags that are more than a number (SPEC.md), read into the
/// library's typed values, for the front ends that take that syntax: the command line and the playground.
/// A refusal is a <see cref="TrainingRun.SettingsException"/> naming the flag.
/// </summary>
internal static class FlagSyntax
{
    /// <summary><c>--optimizer NAME</c>: gd, sgd, momentum or adam, at its default learning rate (<c>--lr</c> is <see cref="RunSettings.LearningRate"/>).</summary>
    public static Optimizer Optimizer(string name) => Engine.Optimizers.Optimizer.Names.Contains(name) ? Engine.Optimizers.Optimizer.Parse(name)
        : throw new TrainingRun.SettingsException($"--optimizer {name}: expected one of {string.Join(", ", Engine.Optimizers.Optimizer.Names)}");

    /// <summary><c>--init WEIGHTS</c> and <c>--bias-init BIASES</c> (SPEC.md scheme names); the refusal names the flag whose scheme is wrong.</summary>
    public static InitScheme Init(string weights, string biases) => InitScheme.TryParse(weights, biases, out var scheme, out string? error) ? scheme!
        : throw new TrainingRun.SettingsException(error!.Contains($"'{biases}'") && !error.Contains($"'{weights}'") ? $"--bias-init: {error}" : $"--init: {error}");

    /// <summary><c>--normalize none|zscore</c>.</summary>
    public static InputNormalization Normalize(string name) => InputNormalization.All.Any(n => n.Name == name) ? InputNormalization.Parse(name)
        : throw new TrainingRun.SettingsException($"--normalize {name}: expected {string.Join(" or ", InputNormalization.All)}");

    /// <summary><c>--precision float32|float64</c>.</summary>
    public static Precision Precision(string name) => Runs.Precision.All.Any(p => p.Name == name) ? Runs.Precision.Parse(name)
        : throw new TrainingRun.SettingsException($"--precision {name}: expected {string.Join(" or ", Runs.Precision.All)}");

    /// <summary><c>--perturb EPS[:LAYER]</c>, e.g. 1e-12 or 1e-12:2.</summary>
    public static Perturbation Perturb(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double eps) || !double.IsFinite(eps))
            throw new TrainingRun.SettingsException($"--perturb {text}: expected EPS or EPS:LAYER, e.g. 1e-12 or 1e-12:2");
        int layer = 1;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out layer) || layer < 1))
            throw new TrainingRun.SettingsException($"--perturb {text}: LAYER '{parts[1]}' is not a layer number (1 is the first hidden layer)");
        return new Perturbation(eps, layer);
    }

    /// <summary><c>--record weights[:EVERY]</c>: returns EVERY (1 when not given).</summary>
    public static int Record(string text)
    {
        var parts = text.Split(':');
        if (parts[0] != "weights" || parts.Length > 2)
            throw new TrainingRun.SettingsException($"--record {text}: expected weights or weights:EVERY (every EVERY steps)");
        if (parts.Length == 1) return 1;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int every) || every < 1)
            throw new TrainingRun.SettingsException($"--record {text}: EVERY '{parts[1]}' must be a whole number of steps >= 1");
        return every;
    }
}
