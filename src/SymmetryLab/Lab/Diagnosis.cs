using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Lab;

/// <summary>What happened to a run, in one word and one sentence a learner understands.</summary>
public sealed record Diagnosis(string Kind, string Explanation)
{
    public const string Healthy = "healthy", Symmetric = "symmetric", DeadSaddle = "dead-saddle", Saturated = "saturated", Diverged = "diverged";

    /// <summary>
    /// Reads a finished run, in this order: sigmoid/tanh units started pinned at their limits on the
    /// training data (saturated; checked first because a slope of exactly 0 there also stops every hidden
    /// gradient); no gradient ever reached the hidden layers (dead-saddle); the cost ran away
    /// (diverged, still finite: an infinite one stops the trainer, see the other overload); a hidden layer
    /// still holds identical units (symmetric); otherwise healthy.
    /// </summary>
    public static Diagnosis Of<T>(Network<T> initial, Network<T> final, IReadOnlyList<EpochRecord> history, SymmetryRecorder<T> recorder, Dataset train)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (SaturatedAtStart(initial, train) is { } saturated) return saturated;

        int hidden = final.Layers.Count - 1;
        if (hidden > 0 && !recorder.GradientSeen.Take(hidden).Any(seen => seen))
        {
            string learned = recorder.OutputWeightGradientSeen ? "only the output layer learned" : "only the output bias learned";
            return new Diagnosis(DeadSaddle,
                $"Every hidden weight's gradient was exactly zero at every step: the network started on a saddle point (e.g. all weights zero with tanh, relu or linear units, which then output 0 and pass no error back), so nothing in the hidden layers moved and {learned}.");
        }

        double first = history[0].Loss, last = history[^1].Loss;
        if (last > ExplodingFactor * first && last > 1)
            return new Diagnosis(Diverged,
                $"The cost grew from {first:G4} to {last:G4} instead of falling: each step overshot the minimum by more than the last, so the weights are running away (not yet to infinity); a smaller --lr keeps the steps short enough.");

        for (int l = 0; l < hidden; l++)
        {
            var layer = final.Layers[l];
            var groups = UnitGroups.Find(final, l);
            if (layer.Units < 2 || groups.Distinct == layer.Units) continue;
            return new Diagnosis(Symmetric, groups.Distinct == 1
                ? $"The {layer.Units} units of layer {l + 1} started identical, with the same outgoing weights, so they got identical gradients at every step: the weights moved, but together, and the layer is still one unit repeated {layer.Units} times (give the units different starting weights)."
                : $"Layer {l + 1} has {layer.Units} units but only {groups.Distinct} different ones: units that started identical, with the same outgoing weights, got identical gradients at every step and moved together (give the units different starting weights).");
        }

        string split = string.Join("", recorder.BrokeAtStep.Select((s, l) => s is { } step ? $" Layer {l + 1}'s identical units split at step {step}." : ""));
        return history.Count < 2 || last < first
            ? new Diagnosis(Healthy, $"The units of every layer are distinct and the cost fell from {first:G4} to {last:G4}.{split}")
            : new Diagnosis(Healthy, $"The units of every layer are distinct, but the cost did not fall ({first:G4} to {last:G4}): try another learning rate.{split}");
    }

    /// <summary>A cost that ends this many times above where it started is running away, even if still finite.</summary>
    public const double ExplodingFactor = 100;

    /// <summary>The run stopped because a number became NaN or infinite.</summary>
    public static Diagnosis Of(TrainingDivergedException e) => new(Diverged,
        $"At epoch {e.Epoch} (step {e.Step}) the numbers in layer {e.Layer} became infinite or NaN: each step overshot the minimum by more than the last, so the weights blew up; a smaller --lr keeps the steps short enough.");

    /// <summary>
    /// Saturated when, on the training data before the first step, a sigmoid or tanh output unit, or at
    /// least half of the sigmoid/tanh units of a hidden layer, sit beyond 99% of their range on at least
    /// 95% of the samples: there g'(z) is nearly 0, so the gradient through them vanishes (or, at a bce
    /// output, confident wrong answers make the cost explode).
    /// </summary>
    public static Diagnosis? SaturatedAtStart<T>(Network<T> initial, Dataset train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var profile = ActivationProfile.Of(initial, train);
        for (int l = initial.Layers.Count - 1; l >= 0; l--)
        {
            var layer = initial.Layers[l];
            if (layer.Activation is not (Activation.Sigmoid or Activation.Tanh)) continue;
            var pinned = profile.SaturatedUnits(l);
            bool output = l == initial.Layers.Count - 1;
            if (pinned.Length == 0 || (!output && 2 * pinned.Length < layer.Units)) continue;
            string limits = layer.Activation == Activation.Sigmoid ? "0 or 1" : "-1 or 1";
            string which = output ? (layer.Units == 1 ? "The output unit" : $"{pinned.Length} of the {layer.Units} output units") : $"{pinned.Length} of the {layer.Units} {layer.Activation.Name()} units of layer {l + 1}";
            string consequence = output
                ? "so it gives confident answers before learning anything: the wrong ones make the cost huge, and learning must first undo the large weights"
                : "where the slope g'(z) is nearly 0, so almost no gradient flows through them";
            return new Diagnosis(Saturated,
                $"{which} started pinned at {limits} on at least {ActivationProfile.SaturatedShare * 100:0}% of the training samples because their inputs z were too large (large initial weights or unnormalized data), {consequence} (use --normalize zscore or a smaller init such as he-normal or glorot-uniform).");
        }
        return null;
    }
}
