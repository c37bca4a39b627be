using SymmetryLab.Numerics;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// Gaussian blobs as scikit-learn's make_blobs: k centres drawn uniformly in [-box, box] per feature,
/// then n/k points per cluster (the first n mod k clusters one more), each the centre plus Gaussian
/// noise of sd <c>std</c> per feature, labelled with its cluster 0..k-1. Rows cluster by cluster.
/// </summary>
internal sealed class BlobsGenerator : Generator
{
    public override string Name => "blobs";
    public override string Description => "k Gaussian clusters (scikit-learn make_blobs), one class per cluster";
    public override int DefaultClasses => 3;
    public override IReadOnlyList<GeneratorParameter> Parameters { get; } =
    [
        new("n", 300, "rows", Integer: true, Min: 2),
        new("k", 3, "number of clusters (classes)", Integer: true, Min: 2, Max: 1000),
        new("features", 2, "dimensions", Integer: true, Min: 1, Max: 10000),
        new("std", 1.0, "sd of each cluster", Min: 0),
        new("box", 10, "centres are uniform in [-box, box] per feature", Min: 0),
    ];

    private protected override Dataset Make(GeneratorArgs a, Rng rng, string name)
    {
        int n = a.Int("n"), k = a.Int("k"), f = a.Int("features");
        double std = a["std"], box = a["box"];
        var centres = new double[k * f];
        for (int i = 0; i < centres.Length; i++) centres[i] = rng.NextUniform(-box, box);
        var x = new double[n * f];
        var y = new double[n];
        int row = 0;
        for (int c = 0; c < k; c++)
        {
            int size = n / k + (c < n % k ? 1 : 0);
            for (int i = 0; i < size; i++, row++)
            {
                for (int d = 0; d < f; d++)
                    x[row * f + d] = centres[c * f + d] + (std > 0 ? rng.NextNormal(0, std) : 0);
                y[row] = c;
            }
        }
        return new Dataset(name, x, y, f, Enumerable.Range(1, f).Select(d => $"x{d}").ToArray(), "cluster");
    }
}
