using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// The cost J a saved model is judged by on rows of data, for the commands that differentiate it
/// (gradcheck, explain): one rule for both, so the same model and data are accepted or refused alike.
/// </summary>
internal static class JudgedCost
{
    /// <summary>
    /// --loss, or the loss the output implies; refused when the rows do not fit the model's inputs,
    /// the loss does not fit its output, a class loss meets targets that are not its class labels
    /// (0 or 1 for one output, 0..K-1 for K), or --l2 is negative or not a number.
    /// </summary>
    public static Loss Choose(Network<double> network, Dataset rows, string dataSpec, string modelPath, string? lossName, double l2)
    {
        if (rows.Features != network.Inputs)
            throw new DataException($"{dataSpec}: {rows.Features} features, but {modelPath} takes {network.Inputs} inputs");
        var chosen = lossName is { } name ? Parse.Loss(name) : LossFunctions.ForOutput(network.Output.Activation, network.Outputs);
        if (!LossFunctions.Fits(chosen, network.Output.Activation))
            throw new UsageException($"--loss {chosen.Name()} does not fit the model's {network.Output.Activation.Name()} output");
        if (chosen != Loss.Mse && !rows.FitsClasses(network.Outputs))
            throw new DataException($"{dataSpec}: the target is not a class label of the model's {network.Outputs} output{(network.Outputs == 1 ? "" : "s")} (0 to {Math.Max(1, network.Outputs - 1)}), so --loss {chosen.Name()} cannot use it");
        if (!(l2 >= 0 && double.IsFinite(l2))) throw new UsageException($"--l2 {l2}: must be >= 0");
        return chosen;
    }
}
