using System.Globalization;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>
/// The library's typed exceptions said in the words of <c>symlab train</c>'s flags (SPEC.md), for the
/// front ends that take those settings: the command line, the playground and sweep records. The
/// library's own messages name its parameters (<c>RunSettings.Epochs</c>, the learning rate, the loss).
/// </summary>
internal static class FlagMessages
{
    /// <summary>The settings a <see cref="Diagnosis"/> advises, named by the flags that set them: "try a smaller --lr".</summary>
    public static SettingWords Words { get; } = new("--lr", "--normalize zscore", "--init", "--init ");

    /// <summary>The message of <paramref name="e"/> with the flag that sets each parameter it names; any other exception's own message.</summary>
    public static string Of(Exception e) => e switch
    {
        SettingsException { Sentence: { } s } => Say(s),
        Data.DataException { Sentence: { } s } => Say(s),
        TrainingDivergedException d => $"training diverged at epoch {d.Epoch} (step {d.Step}): {d.What} in layer {d.Layer}; try a smaller --lr",
        ModelMismatchException m => Of(Mismatch(m)),
        _ => e.Message,
    };

    /// <summary><paramref name="sentence"/> with each setting named by its flag and each phrase in the flags' words.</summary>
    private static string Say(FormattableString sentence) => string.Format(CultureInfo.CurrentCulture, sentence.Format,
        [.. sentence.GetArguments().Select(a => a switch
        {
            Setting s => Flag(s),
            Wording w => w.Flag,
            FormattableString f => Say(f),
            _ => a,
        })]);

    /// <summary>A loss the output layer cannot feed, as settings: the loss and the output activation it needs.</summary>
    internal static SettingsException Mismatch(ModelMismatchException m) => SettingsException.Of(
        $"{Setting.Run(nameof(RunSettings.Loss), m.Loss.Name())} needs {Setting.Run(nameof(RunSettings.OutputActivation), m.Needed.Name())}, not {m.Output.Name()}");

    /// <summary>The flag that sets <paramref name="setting"/>'s parameter, with its value as the flag takes it: <c>--epochs -1</c>.</summary>
    public static string Flag(Setting setting)
    {
        string flag = Flags.TryGetValue(setting.Parameter, out var f) ? f : throw new ArgumentException($"no flag sets {setting.Parameter}", nameof(setting));
        return (setting.FlagValue ?? setting.Value) is { } value ? $"{flag} {value}" : flag;
    }

    /// <summary>The flag of each parameter a <see cref="SettingsException"/> names (SPEC.md <c>symlab train</c> and <c>sweep</c>).</summary>
    internal static IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>
    {
        ["RunSettings.Data"] = "--data",
        ["RunSettings.Test"] = "--test",
        ["RunSettings.Layers"] = "--layers",
        ["RunSettings.Activation"] = "--activation",
        ["RunSettings.HiddenActivations"] = "--activation",
        ["RunSettings.OutputActivation"] = "--output-activation",
        ["RunSettings.Loss"] = "--loss",
        ["RunSettings.Model"] = "--model",
        ["RunSettings.Optimizer"] = "--optimizer",
        ["RunSettings.LearningRate"] = "--lr",
        ["RunSettings.Optimizer.LearningRate"] = "--lr",
        ["RunSettings.Epochs"] = "--epochs",
        ["RunSettings.Batch"] = "--batch",
        ["RunSettings.L2"] = "--l2",
        ["RunSettings.Dropout"] = "--dropout",
        ["RunSettings.Normalize"] = "--normalize",
        ["RunSettings.Precision"] = "--precision",
        ["RunSettings.Threads"] = "--threads",
        ["RunSettings.Out"] = "--out",
        ["RunSettings.Perturb"] = "--perturb",
        ["RunSettings.RecordEvery"] = "--record",
        ["SweepOptions.Seeds"] = "--seeds",
        ["SweepOptions.Threads"] = "--threads",
        ["SweepOptions.Threshold"] = "--threshold",
        ["SweepOptions.Shard"] = "--shard",
        ["SweepOptions.Out"] = "--out",
        ["threshold"] = "--threshold",
        ["spec"] = "--data",
        ["target"] = "--target",
        ["dirs"] = "sweep merge",
    };
}
