namespace SymmetryLab.Engine.Activations;

/// <summary>The activation g of a layer: a = g(z), applied unit by unit (softmax: over a sample's units).</summary>
public enum Activation
{
    /// <summary>g(z) = z; g'(z) = 1.</summary>
    Linear,
    /// <summary>g(z) = 1 / (1 + e^-z); g'(z) = g(z) (1 - g(z)).</summary>
    Sigmoid,
    /// <summary>g(z) = tanh z; g'(z) = 1 - tanh^2 z.</summary>
    Tanh,
    /// <summary>g(z) = max(z, 0); g'(z) = 1 for z &gt; 0, else 0 (as PyTorch at z = 0).</summary>
    Relu,
    /// <summary>g(z) = z for z &gt; 0, else 0.01 z; g'(z) = 1 or 0.01.</summary>
    LeakyRelu,
    /// <summary>a_k = e^{z_k} / sum_j e^{z_j} over one sample's outputs; output layer only.</summary>
    Softmax,
}

/// <summary>The activations' names in SPEC.md (<c>--activation</c>, model.json).</summary>
public static class ActivationNames
{
    /// <summary>The SPEC.md name of <paramref name="activation"/>: linear, sigmoid, tanh, relu, leaky_relu or softmax.</summary>
    public static string Name(this Activation activation) => activation switch
    {
        Activation.Linear => "linear",
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        Activation.LeakyRelu => "leaky_relu",
        Activation.Softmax => "softmax",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>Every name, in the enum's order.</summary>
    public static readonly string[] All = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"];

    /// <summary>The activation named <paramref name="name"/> (any case; leaky-relu too); false for an unknown name.</summary>
    public static bool TryParse(string name, out Activation activation)
    {
        switch (name.ToLowerInvariant())
        {
            case "linear": activation = Activation.Linear; return true;
            case "sigmoid": activation = Activation.Sigmoid; return true;
            case "tanh": activation = Activation.Tanh; return true;
            case "relu": activation = Activation.Relu; return true;
            case "leaky_relu": case "leaky-relu": activation = Activation.LeakyRelu; return true;
            case "softmax": activation = Activation.Softmax; return true;
            default: activation = default; return false;
        }
    }
}
