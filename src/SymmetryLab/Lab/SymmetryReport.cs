using System.Globalization;
using System.Text;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// What the lab sees in a network: each layer's groups of identical units, the cost and accuracy on
/// the data beside the majority-class baseline, and, for a network trained by
/// <see cref="NetworkTraining.Fit{T}"/>, when each layer split and the diagnosis of the run.
/// </summary>
/// <param name="Layers">Groups of identical units per layer (layer 1 first; units numbered from 1).</param>
/// <param name="Loss">The network's mean cost on the data (with the L2 penalty it was trained with, as <c>symlab train</c> reports it).</param>
/// <param name="Accuracy">Its accuracy on the data; null for a regression target.</param>
/// <param name="Baseline">Always answering the majority class: what an accuracy must beat; null for a regression target.</param>
/// <param name="DistinctAtStart">Distinct units per layer before the first step; null without a training record.</param>
/// <param name="BrokeAtStep">Per layer, the step after which its identical units split (null: never); null without a training record.</param>
/// <param name="Diagnosis">What happened to the run, in a word and a sentence; null without a training record (the diagnosis reads a run, not a network).</param>
public sealed record SymmetryReport(IReadOnlyList<UnitGroups> Layers, double Loss, double? Accuracy, MajorityBaseline? Baseline,
    IReadOnlyList<int>? DistinctAtStart, IReadOnlyList<long?>? BrokeAtStep, Diagnosis? Diagnosis)
{
    /// <summary>
    /// The report of <paramref name="network"/> on <paramref name="data"/>. When the network's last
    /// <see cref="NetworkTraining.Fit{T}"/> was on this data, the report includes that run (split steps and
    /// the diagnosis); otherwise it reads the network as it stands, with the loss its output implies
    /// (bce for one sigmoid output, ce for softmax, else mse) and no diagnosis.
    /// </summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    public static SymmetryReport Of<T>(Network<T> network, Dataset data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (network.LastFit() is { } history && ReferenceEquals(history.Train, data)) return Of(history);
        var loss = LossFunctions.ForOutput(network.Output.Activation, network.Outputs);
        var (cost, accuracy) = new Evaluator<T>(network, data, loss, WorkerPool.ForThreads(1)).Evaluate();
        return new SymmetryReport(UnitGroups.FindAll(network), cost, accuracy, MajorityBaseline.Of(data), null, null, null);
    }

    /// <summary>The report of a run: its network now, its data, when each layer split, and the diagnosis.</summary>
    public static SymmetryReport Of<T>(TrainingHistory<T> history) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(history);
        var network = history.Network;
        var options = history.Options;
        var (cost, accuracy) = new Evaluator<T>(network, history.Train, options.Loss, WorkerPool.ForThreads(1)).Evaluate();
        var baseline = MajorityBaseline.Of(history.Train, history.Test);
        // A regression's mse (before the L2 penalty) against always answering the targets' mean.
        var context = new DiagnosisContext(accuracy, baseline) { Cost = cost, MeanBaseline = MeanBaseline.Of(history.Train, history.Test, options.Loss) };
        if (options.L2 > 0) cost += network.L2Penalty(options.L2, history.Train.Rows);
        var diagnosis = Diagnosis.Of(history.Start, network, history, history.Recorder, history.Train, context);
        return new SymmetryReport(UnitGroups.FindAll(network), cost, accuracy, baseline, history.Recorder.DistinctAtStart, history.Recorder.BrokeAtStep, diagnosis);
    }

    /// <summary>
    /// The report as text: a line per layer with its groups of identical units, the figures with the
    /// baseline, and the diagnosis when there is one.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var g in Layers)
        {
            text.Append(CultureInfo.InvariantCulture, $"layer {g.Layer}: {g.Units} unit{(g.Units == 1 ? "" : "s")}, {g.Distinct} distinct");
            if (g.Distinct < g.Units) text.Append(": identical ").Append(string.Join(" ", g.Groups.Where(x => x.Length > 1).Select(x => $"{{{string.Join(",", x)}}}")));
            if (DistinctAtStart is { } start && BrokeAtStep is { } broke)
                text.Append(broke[g.Layer - 1] is { } step ? $" ({start[g.Layer - 1]} at the start, split at step {step})" : start[g.Layer - 1] < g.Units ? $" ({start[g.Layer - 1]} at the start, never split)" : "");
            text.AppendLine();
        }
        text.Append(CultureInfo.InvariantCulture, $"loss {Loss:G6}");
        if (Accuracy is { } a) text.Append(CultureInfo.InvariantCulture, $", accuracy {a:F4}");
        if (Baseline is { } b) text.Append(CultureInfo.InvariantCulture, $" (always answering class {b.Class}: {b.Train:F4})");
        if (Diagnosis is { } d) text.AppendLine().Append(CultureInfo.InvariantCulture, $"diagnosis: {d.Kind}: {d.Explanation}");
        return text.ToString();
    }
}
