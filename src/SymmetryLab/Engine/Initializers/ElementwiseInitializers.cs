using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Initializers;

/// <summary>Every value C (zeros: C = 0). Variance 0: every unit starts identical.</summary>
/// <param name="Value">C, the value every weight (or bias) starts from.</param>
/// <param name="SchemeName">The scheme as written (zeros, constant:C).</param>
public sealed record Constant(double Value, string SchemeName) : Initializer(SchemeName)
{
    /// <inheritdoc/>
    public override string Variance => "0";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => Value;
}

/// <summary>U(A, B). Variance (B - A)^2 / 12.</summary>
/// <param name="Low">A, the lower end (inclusive).</param>
/// <param name="High">B, the upper end (exclusive).</param>
/// <param name="SchemeName">The scheme as written (uniform:A:B).</param>
public sealed record Uniform(double Low, double High, string SchemeName) : Initializer(SchemeName)
{
    /// <inheritdoc/>
    public override string Variance => "(B - A)^2 / 12";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextUniform(Low, High);
}

/// <summary>N(MEAN, STD^2). Variance STD^2.</summary>
/// <param name="Mean">MEAN, the mean.</param>
/// <param name="Std">STD, the standard deviation (&gt;= 0).</param>
/// <param name="SchemeName">The scheme as written (normal:MEAN:STD).</param>
public sealed record Normal(double Mean, double Std, string SchemeName) : Initializer(SchemeName)
{
    /// <inheritdoc/>
    public override string Variance => "STD^2";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(Mean, Std);
}

/// <summary>Glorot and Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)). Variance 2 / (fan_in + fan_out).</summary>
/// <param name="SchemeName">glorot-uniform, or keras-default (the same draws under Keras's name).</param>
public sealed record GlorotUniform(string SchemeName = "glorot-uniform") : Initializer(SchemeName)
{
    /// <inheritdoc/>
    public override string Variance => "2 / (fan_in + fan_out)";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double a = Math.Sqrt(6.0 / (fanIn + fanOut));
        return rng.NextUniform(-a, a);
    }
}

/// <summary>Glorot and Bengio (2010): N(0, 2 / (fan_in + fan_out)), not truncated. Variance 2 / (fan_in + fan_out).</summary>
public sealed record GlorotNormal() : Initializer("glorot-normal")
{
    /// <inheritdoc/>
    public override string Variance => "2 / (fan_in + fan_out)";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(2.0 / (fanIn + fanOut)));
}

/// <summary>He et al. (2015): U(-a, a), a = sqrt(6 / fan_in). Variance 2 / fan_in.</summary>
public sealed record HeUniform() : Initializer("he-uniform")
{
    /// <inheritdoc/>
    public override string Variance => "2 / fan_in";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double a = Math.Sqrt(6.0 / fanIn);
        return rng.NextUniform(-a, a);
    }
}

/// <summary>He et al. (2015): N(0, 2 / fan_in), as the DLS initialization lab. Variance 2 / fan_in.</summary>
public sealed record HeNormal() : Initializer("he-normal")
{
    /// <inheritdoc/>
    public override string Variance => "2 / fan_in";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(2.0 / fanIn));
}

/// <summary>LeCun et al. (1998): N(0, 1 / fan_in). Variance 1 / fan_in.</summary>
public sealed record LecunNormal() : Initializer("lecun-normal")
{
    /// <inheritdoc/>
    public override string Variance => "1 / fan_in";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(1.0 / fanIn));
}

/// <summary>
/// PyTorch's nn.Linear default: kaiming_uniform with a = sqrt(5), i.e. U(-b, b) with
/// b = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in). Variance 1 / (3 fan_in). As a bias scheme it is
/// PyTorch's bias default too, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
/// </summary>
public sealed record TorchDefault() : Initializer("torch-default")
{
    /// <inheritdoc/>
    public override string Variance => "1 / (3 fan_in)";
    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double b = 1.0 / Math.Sqrt(fanIn);
        return rng.NextUniform(-b, b);
    }
}
