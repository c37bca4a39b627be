using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// Two interleaving half circles as scikit-learn's make_moons: n/2 (rounded down) points
/// (cos t, sin t) for t evenly in [0, pi] with label 0, the rest (1 - cos t, 0.5 - sin t) with label 1,
/// then Gaussian noise of sd <c>noise</c> on each coordinate. Rows in that order, not shuffled.
/// </summary>
internal sealed class MoonsGenerator : Generator
{
    public override string Name => "moons";
    public override string Description => "two interleaving half moons (scikit-learn make_moons)";
    public override int DefaultClasses => 2;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 200, "rows", Integer: true, Min: 2),
        new("noise", 0.1, "sd of Gaussian noise added to each coordinate", Min: 0),
    ];

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n"), outer = n / 2, inner = n - outer;
        double noise = a["noise"];
        var x = new double[n * 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool isOuter = i < outer;
            double t = LinSpace(0, Math.PI, isOuter ? outer : inner, isOuter ? i : i - outer);
            double px = isOuter ? CorrectlyRoundedCos.Cos(t) : 1 - CorrectlyRoundedCos.Cos(t);
            double py = isOuter ? CorrectlyRoundedSin.Sin(t) : 0.5 - CorrectlyRoundedSin.Sin(t);
            x[2 * i] = px + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            x[2 * i + 1] = py + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            y[i] = isOuter ? 0 : 1;
        }
        return new Dataset(name, x, y, 2, ["x1", "x2"], "y");
    }
}
