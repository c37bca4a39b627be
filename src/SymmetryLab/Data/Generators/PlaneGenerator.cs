using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// A regression target on a plane: x uniform in [-1, 1] per feature and
/// y = 1 + x1 - 2 x2 + 3 x3 - ... (coefficient (-1)^(i+1) i on x_i) plus Gaussian noise of sd <c>noise</c>.
/// Fixed, documented coefficients, so a learner can compare the fitted weights with the truth.
/// </summary>
internal sealed class PlaneGenerator : Generator
{
    public override string Name => "plane";
    public override string Description => "regression: y = 1 + x1 - 2 x2 + 3 x3 - ... + noise, x uniform in [-1, 1]";
    public override int DefaultClasses => 0;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 200, "rows", Integer: true, Min: 1),
        new("features", 2, "dimensions", Integer: true, Min: 1, Max: 10000),
        new("noise", 0.1, "sd of Gaussian noise added to y", Min: 0),
    ];

    /// <summary>The true coefficient of feature i (1-based): (-1)^(i+1) i.</summary>
    public static double Coefficient(int i) => i % 2 == 1 ? i : -i;

    public const double Intercept = 1;

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n"), f = a.Int("features");
        double noise = a["noise"];
        var x = new double[n * f];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            double v = Intercept;
            for (int d = 0; d < f; d++)
            {
                double xi = rng.NextUniform(-1, 1);
                x[r * f + d] = xi;
                v += Coefficient(d + 1) * xi;
            }
            y[r] = v + (noise > 0 ? rng.NextNormal(0, noise) : 0);
        }
        return new Dataset(name, x, y, f, Enumerable.Range(1, f).Select(d => $"x{d}").ToArray(), "y");
    }
}
