using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Engine;

/// <summary>
/// One layer of a network to build with <see cref="Network.Create{T}"/>:
/// its width and activation. The builder makes the <see cref="DenseLayer{T}"/> that holds the weights.
/// </summary>
/// <param name="Units">How many units (at least 1).</param>
/// <param name="Activation">The activation g of every unit (softmax: the output layer only).</param>
public sealed record Layer(int Units, Activation Activation)
{
    /// <summary>A fully connected layer of <paramref name="units"/> units with activation <paramref name="activation"/>.</summary>
    public static Layer Dense(int units, Activation activation) => new(units, activation);

    /// <summary>"3 sigmoid".</summary>
    public override string ToString() => $"{Units} {Activation.Name()}";
}
