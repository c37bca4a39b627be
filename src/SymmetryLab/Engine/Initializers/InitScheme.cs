using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Initializers;

/// <summary>
/// How a whole network starts: a weight scheme and a bias scheme, each layer drawn in order (weights
/// row by row, then biases) from one stream, so a seed fixes every value.
/// </summary>
/// <remarks>
/// <c>symmetric:SCHEME</c> starts every hidden unit of a layer identical to its neighbours in incoming
/// AND outgoing weights, at SCHEME's scale: layer 1's units share one incoming vector drawn with
/// SCHEME; in every later layer each unit uses one value drawn with SCHEME for all of its inputs, and
/// a hidden layer's units share that value, while output units each draw their own. Nothing but noise
/// in the data then tells the units apart: backpropagation gives them equal gradients forever.
/// Biases of hidden layers are shared the same way.
/// </remarks>
public sealed class InitScheme
{
    /// <summary>Weights drawn by <paramref name="weights"/>, biases by <paramref name="biases"/>; <paramref name="symmetric"/>: hidden units start identical (see the remarks).</summary>
    public InitScheme(Initializer weights, Initializer biases, bool symmetric = false)
    {
        Weights = weights;
        Biases = biases;
        Symmetric = symmetric;
    }

    /// <summary>How the weights are drawn.</summary>
    public Initializer Weights { get; }

    /// <summary>How the biases are drawn.</summary>
    public Initializer Biases { get; }

    /// <summary>Whether the hidden units of a layer start identical (symmetric:SCHEME).</summary>
    public bool Symmetric { get; }

    /// <summary>The weight scheme's <c>--init</c> name, e.g. "glorot-uniform" or "symmetric:glorot-uniform".</summary>
    public string WeightName => Symmetric ? $"symmetric:{Weights.Name}" : Weights.Name;

    /// <summary>The same weights, biases drawn by <paramref name="biases"/> (e.g. <c>Init.TorchDefault.Weights</c>).</summary>
    public InitScheme WithBiases(Initializer biases) => new(Weights, biases, Symmetric);

    /// <summary>Parses <c>--init</c> and <c>--bias-init</c> texts of SPEC.md; false with a message in <paramref name="error"/>.</summary>
    public static bool TryParse(string weights, string biases, out InitScheme? scheme, out string? error)
    {
        scheme = null;
        bool symmetric = weights.StartsWith("symmetric:", StringComparison.OrdinalIgnoreCase);
        string inner = symmetric ? weights["symmetric:".Length..] : weights;
        if (!Initializer.TryParse(inner, out var w, out error)) return false;
        if (!Initializer.TryParse(biases, out var b, out error)) return false;
        scheme = new InitScheme(w!, b!, symmetric);
        return true;
    }

    /// <summary>A weight scheme of SPEC.md by its name (zero biases), so settings read from text keep working (as <see cref="Optimizers.Optimizer"/>'s names do).</summary>
    /// <exception cref="ArgumentException">An unknown or malformed scheme; the message says which.</exception>
    public static implicit operator InitScheme(string weights) => Init.Parse(weights);

    /// <summary>Sets every weight and bias of <paramref name="network"/>, drawing from <paramref name="rng"/>.</summary>
    public void Apply<T>(Network<T> network, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            int n = layer.Units, m = layer.Inputs;
            bool output = l == network.Layers.Count - 1;
            var w = new double[n * m];
            var b = new double[n];
            if (!Symmetric)
            {
                Weights.Fill(w, n, m, m, n, rng);
                Biases.Fill(b, n, 1, m, n, rng);
            }
            else if (l == 0 && !output)
            {
                // One incoming vector for all units of layer 1.
                var shared = new double[m];
                Weights.Fill(shared, 1, m, m, n, rng);
                for (int j = 0; j < n; j++) shared.CopyTo(w, j * m);
                double bias = Biases.Draw(m, n, rng);
                Array.Fill(b, bias);
            }
            else
            {
                // One value per unit for all its inputs: the units below get equal outgoing weights.
                double value = Weights.Draw(m, n, rng), bias = Biases.Draw(m, n, rng);
                for (int j = 0; j < n; j++)
                {
                    if (output && j > 0) { value = Weights.Draw(m, n, rng); bias = Biases.Draw(m, n, rng); }
                    w.AsSpan(j * m, m).Fill(value);
                    b[j] = bias;
                }
            }
            for (int i = 0; i < w.Length; i++) layer.Weights[i] = T.CreateChecked(w[i]);
            for (int i = 0; i < b.Length; i++) layer.Biases[i] = T.CreateChecked(b[i]);
        }
    }

    /// <summary>"glorot-uniform (bias zeros)".</summary>
    public override string ToString() => $"{WeightName} (bias {Biases.Name})";
}
