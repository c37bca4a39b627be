namespace SymmetryLab.Engine;

/// <summary>Per-feature z-score applied to inputs before the first layer: x' = (x - mean) / std.</summary>
/// <param name="Mean">The mean of each feature.</param>
/// <param name="Std">The standard deviation of each feature (<see cref="Fit(Data.Dataset)"/> gives a constant feature 1, so none is 0).</param>
public sealed record Normalization(double[] Mean, double[] Std)
{
    /// <summary>Learns mean and population standard deviation of each column (std 0 becomes 1).</summary>
    public static Normalization Fit(ReadOnlySpan<double> x, int rows, int features)
    {
        var mean = new double[features];
        var std = new double[features];
        for (int r = 0; r < rows; r++)
            for (int f = 0; f < features; f++) mean[f] += x[r * features + f];
        for (int f = 0; f < features; f++) mean[f] /= rows;
        for (int r = 0; r < rows; r++)
            for (int f = 0; f < features; f++)
            {
                double d = x[r * features + f] - mean[f];
                std[f] += d * d;
            }
        for (int f = 0; f < features; f++)
        {
            std[f] = Math.Sqrt(std[f] / rows);
            if (!(std[f] >= Serialization.ModelFile.MinStd)) std[f] = 1; // a constant feature: nothing to scale (and a model file may not divide by ~0)
        }
        return new Normalization(mean, std);
    }

    /// <summary>The z-score of <paramref name="data"/>'s features (<c>--normalize zscore</c>): fit it on the training data.</summary>
    public static Normalization Fit(Data.Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.X, data.Rows, data.Features);
    }

    /// <summary>Writes (x - mean) / std of <paramref name="rows"/> rows of <paramref name="x"/> to <paramref name="dst"/>.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> dst, int rows)
    {
        int features = Mean.Length;
        for (int r = 0; r < rows; r++)
            for (int f = 0; f < features; f++)
                dst[r * features + f] = (x[r * features + f] - Mean[f]) / Std[f];
    }
}
