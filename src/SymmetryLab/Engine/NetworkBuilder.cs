using SymmetryLab.Engine.Initializers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

/// <summary>Builds networks: the one place a network is made from its layers and its seed.</summary>
public static class Network
{
    /// <summary>
    /// A network of <paramref name="inputs"/> inputs and <paramref name="layers"/> (the output layer
    /// last), its weights and biases drawn by <paramref name="init"/> from <paramref name="seed"/>'s
    /// initialization stream, exactly as <c>symlab train --init ... --seed ...</c> draws them.
    /// </summary>
    /// <typeparam name="T">The precision: float or double.</typeparam>
    /// <param name="inputs">Features per row (at least 1).</param>
    /// <param name="layers">The hidden layers and the output layer, in order, e.g. <c>[Layer.Dense(3, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)]</c>.</param>
    /// <param name="init">How weights and biases start; null: <see cref="Init.Default"/> (glorot-uniform weights, zero biases, as <c>symlab train</c>).</param>
    /// <param name="seed">The seed; the same seed gives the same weights, bit for bit, on every machine.</param>
    /// <exception cref="ArgumentException">No layers, a width below 1, or softmax before the output layer.</exception>
    public static Network<T> Create<T>(int inputs, IReadOnlyList<Layer> layers, InitScheme? init = null, ulong seed = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = Empty<T>(inputs, layers);
        (init ?? Init.Default).Apply(network, Rng.Stream(seed, RngStream.Initialization));
        return network;
    }

    /// <summary>
    /// A network whose every weight and bias is zero, for a caller that sets them itself (by hand, or
    /// from a file). Zero weights are perfectly symmetric: <see cref="Create{T}"/> is what training wants.
    /// </summary>
    /// <exception cref="ArgumentException">No layers, a width below 1, or softmax before the output layer.</exception>
    public static Network<T> Empty<T>(int inputs, IReadOnlyList<Layer> layers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layers);
        return new Network<T>(inputs, layers.Select(l => (l.Units, l.Activation)));
    }
}
