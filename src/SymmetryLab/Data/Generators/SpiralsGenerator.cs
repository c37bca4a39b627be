using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// Interleaved spiral arms (the CS231n spiral): arm j of <c>classes</c> has n/classes points (the first
/// n mod classes arms one more), radius r evenly in [0, 1], angle evenly in [4j, 4(j+1)] radians plus
/// Gaussian noise of sd <c>noise</c>, at (r sin t, r cos t), label j. Noise moves points along their
/// circle only, so every point stays within radius 1. Rows arm by arm.
/// </summary>
internal sealed class SpiralsGenerator : Generator
{
    public override string Name => "spirals";
    public override string Description => "interleaved spiral arms, one class per arm (CS231n spiral)";
    public override int DefaultClasses => 2;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 300, "rows", Integer: true, Min: 2),
        new("classes", 2, "number of arms (classes)", Integer: true, Min: 2, Max: 100),
        new("noise", 0.2, "sd of Gaussian noise on the angle (radians)", Min: 0),
    ];

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n"), k = a.Int("classes");
        double noise = a["noise"];
        var x = new double[n * 2];
        var y = new double[n];
        int row = 0;
        for (int j = 0; j < k; j++)
        {
            int size = n / k + (j < n % k ? 1 : 0);
            for (int i = 0; i < size; i++, row++)
            {
                double r = LinSpace(0, 1, size, i);
                double t = LinSpace(4 * j, 4 * (j + 1), size, i) + (noise > 0 ? rng.NextNormal(0, noise) : 0);
                x[2 * row] = r * CorrectlyRoundedSin.Sin(t);
                x[2 * row + 1] = r * CorrectlyRoundedCos.Cos(t);
                y[row] = j;
            }
        }
        return new Dataset(name, x, y, 2, ["x1", "x2"], "y");
    }
}
