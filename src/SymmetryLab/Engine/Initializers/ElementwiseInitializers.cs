using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Initializers;

/// <summary>Every value C (zeros: C = 0). Variance 0: every unit starts identical.</summary>
public sealed record Constant(double Value, string SchemeName) : Initializer(SchemeName)
{
    public override string Variance => "0";
    public override double Draw(int fanIn, int fanOut, Rng rng) => Value;
}

/// <summary>U(A, B). Variance (B - A)^2 / 12.</summary>
public sealed record Uniform(double Low, double High, string SchemeName) : Initializer(SchemeName)
{
    public override string Variance => "(B - A)^2 / 12";
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextUniform(Low, High);
}

/// <summary>N(MEAN, STD^2). Variance STD^2.</summary>
public sealed record Normal(double Mean, double Std, string SchemeName) : Initializer(SchemeName)
{
    public override string Variance => "STD^2";
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(Mean, Std);
}

/// <summary>Glorot and Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)). Variance 2 / (fan_in + fan_out).</summary>
public sealed record GlorotUniform(string SchemeName = "glorot-uniform") : Initializer(SchemeName)
{
    public override string Variance => "2 / (fan_in + fan_out)";
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double a = Math.Sqrt(6.0 / (fanIn + fanOut));
        return rng.NextUniform(-a, a);
    }
}

/// <summary>Glorot and Bengio (2010): N(0, 2 / (fan_in + fan_out)), not truncated. Variance 2 / (fan_in + fan_out).</summary>
public sealed record GlorotNormal() : Initializer("glorot-normal")
{
    public override string Variance => "2 / (fan_in + fan_out)";
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(2.0 / (fanIn + fanOut)));
}

/// <summary>He et al. (2015): U(-a, a), a = sqrt(6 / fan_in). Variance 2 / fan_in.</summary>
public sealed record HeUniform() : Initializer("he-uniform")
{
    public override string Variance => "2 / fan_in";
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double a = Math.Sqrt(6.0 / fanIn);
        return rng.NextUniform(-a, a);
    }
}

/// <summary>He et al. (2015): N(0, 2 / fan_in), as the DLS initialization lab. Variance 2 / fan_in.</summary>
public sealed record HeNormal() : Initializer("he-normal")
{
    public override string Variance => "2 / fan_in";
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(2.0 / fanIn));
}

/// <summary>LeCun et al. (1998): N(0, 1 / fan_in). Variance 1 / fan_in.</summary>
public sealed record LecunNormal() : Initializer("lecun-normal")
{
    public override string Variance => "1 / fan_in";
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal(0, Math.Sqrt(1.0 / fanIn));
}

/// <summary>
/// PyTorch's nn.Linear default: kaiming_uniform with a = sqrt(5), i.e. U(-b, b) with
/// b = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in). Variance 1 / (3 fan_in). As a bias scheme it is
/// PyTorch's bias default too, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
/// </summary>
public sealed record TorchDefault() : Initializer("torch-default")
{
    public override string Variance => "1 / (3 fan_in)";
    public override double Draw(int fanIn, int fanOut, Rng rng)
    {
        double b = 1.0 / Math.Sqrt(fanIn);
        return rng.NextUniform(-b, b);
    }
}
