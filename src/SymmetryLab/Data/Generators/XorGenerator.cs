using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// XOR: row i sits at corner i mod 4 of the unit square, in truth-table order (0,0) (0,1) (1,0) (1,1),
/// with label x1 XOR x2, plus Gaussian noise of sd <c>noise</c> on both coordinates. So
/// <c>xor:n=4,noise=0</c> is exactly the truth table, and the classes differ in size by at most one.
/// </summary>
internal sealed class XorGenerator : Generator
{
    public override string Name => "xor";
    public override string Description => "XOR: noisy copies of the 4 corners of the unit square, label x1 xor x2";
    public override int DefaultClasses => 2;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 200, "rows", Integer: true, Min: 1),
        new("noise", 0.1, "sd of Gaussian noise added to each coordinate", Min: 0),
    ];

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n");
        double noise = a["noise"];
        var x = new double[n * 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int corner = i % 4, b1 = corner >> 1, b2 = corner & 1;
            x[2 * i] = b1 + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            x[2 * i + 1] = b2 + (noise > 0 ? rng.NextNormal(0, noise) : 0);
            y[i] = b1 ^ b2;
        }
        return new Dataset(name, x, y, 2, ["x1", "x2"], "y");
    }
}
