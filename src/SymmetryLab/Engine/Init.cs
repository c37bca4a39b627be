using System.Globalization;
using SymmetryLab.Engine.Initializers;

namespace SymmetryLab.Engine;

/// <summary>
/// The initialization schemes of SPEC.md as values for <see cref="Network.Create{T}"/>: each sets the
/// weights by its scheme and the biases to zero (change them with <see cref="InitScheme.WithBiases"/>).
/// Their names are the <c>--init</c> names, so a run built from one is recorded and replayed as such.
/// </summary>
public static class Init
{
    /// <summary>
    /// The schemes of SPEC.md as <c>--init</c> and <c>--bias-init</c> take them, in SPEC.md's order: C, A:B,
    /// MEAN:STD stand for numbers, and symmetric:SCHEME wraps another scheme (weights only).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
        ["zeros", "constant:C", "uniform:A:B", "normal:MEAN:STD", "glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "lecun-normal", "orthogonal", "torch-default", "keras-default", "symmetric:SCHEME"];

    private static InitScheme Weights(Initializer weights) => new(weights, ZeroInitializer);

    private static readonly Initializer ZeroInitializer = new Constant(0, "zeros");

    /// <summary>What <c>symlab train</c> uses without <c>--init</c>: glorot-uniform weights, zero biases.</summary>
    public static InitScheme Default => GlorotUniform;

    /// <summary>Every weight 0: every unit of a layer starts identical and stays so (a network with no hidden layer still learns).</summary>
    public static InitScheme Zeros => Weights(ZeroInitializer);

    /// <summary>Every weight <paramref name="value"/> ("constant:C").</summary>
    /// <exception cref="ArgumentException">A value that is not finite (as <c>--init constant:C</c> refuses it).</exception>
    public static InitScheme Constant(double value) => Parsed($"constant:{R(value)}");

    /// <summary>Weights from U(<paramref name="low"/>, <paramref name="high"/>) ("uniform:A:B").</summary>
    /// <exception cref="ArgumentException">Unless low &lt; high, both finite.</exception>
    public static InitScheme Uniform(double low, double high) => Parsed($"uniform:{R(low)}:{R(high)}");

    /// <summary>Weights from N(<paramref name="mean"/>, <paramref name="std"/>^2) ("normal:MEAN:STD").</summary>
    /// <exception cref="ArgumentException">A number that is not finite, or a negative standard deviation.</exception>
    public static InitScheme Normal(double mean, double std) => Parsed($"normal:{R(mean)}:{R(std)}");

    /// <summary>Glorot and Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)); suits sigmoid and tanh.</summary>
    public static InitScheme GlorotUniform => Weights(new Initializers.GlorotUniform());

    /// <summary>Glorot and Bengio (2010): N(0, 2 / (fan_in + fan_out)).</summary>
    public static InitScheme GlorotNormal => Weights(new Initializers.GlorotNormal());

    /// <summary>He et al. (2015): U(-a, a), a = sqrt(6 / fan_in); suits relu.</summary>
    public static InitScheme HeUniform => Weights(new Initializers.HeUniform());

    /// <summary>He et al. (2015): N(0, 2 / fan_in); suits relu.</summary>
    public static InitScheme HeNormal => Weights(new Initializers.HeNormal());

    /// <summary>LeCun et al. (1998): N(0, 1 / fan_in).</summary>
    public static InitScheme LecunNormal => Weights(new Initializers.LecunNormal());

    /// <summary>Saxe et al. (2014): a random orthogonal matrix per layer.</summary>
    public static InitScheme Orthogonal => Weights(new Initializers.Orthogonal());

    /// <summary>PyTorch's nn.Linear default for the weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public static InitScheme TorchDefault => Weights(new Initializers.TorchDefault());

    /// <summary>
    /// <paramref name="scheme"/>'s scale, but every hidden unit of a layer identical to its neighbours
    /// ("symmetric:SCHEME"): the units then get identical gradients forever, the lab's starting case.
    /// </summary>
    public static InitScheme Symmetric(InitScheme scheme) => new(scheme.Weights, scheme.Biases, symmetric: true);

    /// <summary>A scheme by its SPEC.md names, as <c>--init</c> and <c>--bias-init</c> take them.</summary>
    /// <exception cref="ArgumentException">An unknown or malformed scheme; the message says which.</exception>
    public static InitScheme Parse(string weights, string biases = "zeros") =>
        InitScheme.TryParse(weights, biases, out var scheme, out var error) ? scheme! : throw new ArgumentException(error);

    private static InitScheme Parsed(string text) => Parse(text);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
