using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>What happened to a run, in one word and one sentence a learner understands.</summary>
public sealed record Diagnosis(string Kind, string Explanation)
{
    public const string Healthy = "healthy", Symmetric = "symmetric", DeadSaddle = "dead-saddle", Saturated = "saturated", Diverged = "diverged";

    /// <summary>
    /// Compares the network before and after training: hidden layers that are still one unit repeated,
    /// and whether their weights moved at all.
    /// </summary>
    public static Diagnosis Of<T>(Network<T> initial, Network<T> final, IReadOnlyList<EpochRecord> history)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < final.Layers.Count - 1; l++)
        {
            var layer = final.Layers[l];
            if (layer.Units < 2) continue;
            var groups = UnitGroups.Find(final, l);
            if (groups.Distinct != 1) continue;
            bool moved = !HiddenWeightsEqual(initial, final);
            return moved
                ? new Diagnosis(Symmetric, $"The {layer.Units} units of layer {l + 1} started identical and got identical gradients at every step, so they are still one unit repeated {layer.Units} times.")
                : new Diagnosis(DeadSaddle, "The hidden weights never moved: every hidden unit's gradient was exactly zero (a saddle point, as with all-zero weights), so only the output layer learned.");
        }
        bool falling = history.Count < 2 || history[^1].Loss < history[0].Loss;
        return falling
            ? new Diagnosis(Healthy, "The units of every layer are distinct and the cost fell.")
            : new Diagnosis(Healthy, "The units of every layer are distinct, but the cost did not fall: try another learning rate.");
    }

    private static bool HiddenWeightsEqual<T>(Network<T> a, Network<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < a.Layers.Count - 1; l++)
        {
            if (!a.Layers[l].Weights.AsSpan().SequenceEqual(b.Layers[l].Weights)) return false;
            if (!a.Layers[l].Biases.AsSpan().SequenceEqual(b.Layers[l].Biases)) return false;
        }
        return true;
    }
}
