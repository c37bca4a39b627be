using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// Two concentric circles as scikit-learn's make_circles: n/2 (rounded down) points evenly spaced on the
/// unit circle with label 0, the rest on a circle of radius <c>factor</c> with label 1, then Gaussian
/// noise of sd <c>noise</c> on each coordinate. Rows are in that order (outer first), not shuffled.
/// </summary>
internal sealed class CirclesGenerator : Generator
{
    public override string Name => "circles";
    public override string Description => "two concentric circles (scikit-learn make_circles): outer radius 1 label 0, inner radius factor label 1";
    public override int DefaultClasses => 2;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 300, "rows", Integer: true, Min: 2),
        new("noise", 0.05, "sd of Gaussian noise added to each coordinate", Min: 0),
        new("factor", 0.8, "radius of the inner circle (the outer one has radius 1)", Min: 0, Max: 1, MinExclusive: true),
    ];

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n"), outer = n / 2, inner = n - outer;
        double noise = a["noise"], factor = a["factor"];
        var x = new double[n * 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool isOuter = i < outer;
            int k = isOuter ? i : i - outer;
            double t = LinSpace(0, 2 * Math.PI, isOuter ? outer : inner, k, endpoint: false);
            double r = isOuter ? 1 : factor;
            x[2 * i] = r * CorrectlyRoundedCos.Cos(t) + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            x[2 * i + 1] = r * CorrectlyRoundedSin.Sin(t) + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            y[i] = isOuter ? 0 : 1;
        }
        return new Dataset(name, x, y, 2, ["x1", "x2"], "y");
    }
}
