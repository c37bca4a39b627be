using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>
/// The library's typed exceptions said in the words of <c>symlab train</c>'s flags (SPEC.md), for the
/// front ends that take those settings: the command line, the playground and sweep records. The
/// library's own messages name its parameters (the learning rate, the loss, the output layer).
/// </summary>
public static class FlagMessages
{
    /// <summary>The settings a <see cref="Diagnosis"/> advises, named by the flags that set them: "try a smaller --lr".</summary>
    public static SettingWords Words { get; } = new("--lr", "--normalize zscore", "--init", "--init ");

    /// <summary>The message of <paramref name="e"/> with the flag that sets each parameter it names; any other exception's own message.</summary>
    public static string Of(Exception e) => e switch
    {
        TrainingDivergedException d => $"training diverged at epoch {d.Epoch} (step {d.Step}): {d.What} in layer {d.Layer}; try a smaller --lr",
        ModelMismatchException m => $"--loss {m.Loss.Name()} needs --output-activation {m.Needed.Name()}, not {m.Output.Name()}",
        _ => e.Message,
    };
}
