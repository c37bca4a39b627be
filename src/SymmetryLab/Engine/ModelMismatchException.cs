using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Engine;

/// <summary>
/// A network that does not fit what it is asked to do: a loss its output layer cannot feed (bce needs
/// a sigmoid output layer, ce a softmax one). The message speaks of the library's parameters; a front end maps
/// <see cref="Loss"/> and <see cref="Needed"/> to its own words. An <see cref="ArgumentException"/>,
/// since the options passed do not fit the network passed.
/// </summary>
public sealed class ModelMismatchException : ArgumentException
{
    private ModelMismatchException(Loss loss, Activation output, Activation needed)
        : base($"loss {loss.Name()} needs a {needed.Name()} output layer, not {output.Name()}")
    {
        Loss = loss;
        Output = output;
        Needed = needed;
    }

    /// <summary>The loss asked for.</summary>
    public Loss Loss { get; }

    /// <summary>The output layer's activation.</summary>
    public Activation Output { get; }

    /// <summary>The output activation the loss needs.</summary>
    public Activation Needed { get; }

    /// <summary>The mismatch of <paramref name="loss"/> with an <paramref name="output"/> layer, or null when they fit.</summary>
    public static ModelMismatchException? ForLoss(Loss loss, Activation output) =>
        LossFunctions.Fits(loss, output) ? null : new ModelMismatchException(loss, output, loss == Losses.Loss.Bce ? Activation.Sigmoid : Activation.Softmax);

    /// <summary>Throws unless <paramref name="loss"/> fits the <paramref name="output"/> layer.</summary>
    /// <exception cref="ModelMismatchException">They do not fit.</exception>
    public static void CheckLoss(Loss loss, Activation output)
    {
        if (ForLoss(loss, output) is { } e) throw e;
    }
}
