using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Initializers;

/// <summary>
/// Saxe et al. (2014): a random orthogonal matrix. A standard normal matrix is orthonormalized
/// (modified Gram-Schmidt over its rows when rows &lt;= cols, else over its columns), which equals
/// Q of its QR decomposition with the signs fixed so that diag(R) &gt; 0, as PyTorch's orthogonal_.
/// Every value has variance 1 / max(rows, cols).
/// </summary>
public sealed record Orthogonal() : Initializer("orthogonal")
{
    /// <inheritdoc/>
    public override string Variance => "1 / max(fan_in, fan_out)";

    /// <inheritdoc/>
    public override double Draw(int fanIn, int fanOut, Rng rng) => rng.NextNormal() / Math.Sqrt(fanIn);

    /// <inheritdoc/>
    public override void Fill(Span<double> values, int rows, int cols, int fanIn, int fanOut, Rng rng)
    {
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextNormal();
        if (rows == 1 && cols == 1) return;
        bool byRows = rows <= cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        ref double At(Span<double> v, int vector, int element) =>
            ref v[byRows ? vector * cols + element : element * cols + vector];
        for (int q = 0; q < count; q++)
        {
            for (int p = 0; p < q; p++)
            {
                double dot = 0;
                for (int e = 0; e < length; e++) dot += At(values, p, e) * At(values, q, e);
                for (int e = 0; e < length; e++) At(values, q, e) -= dot * At(values, p, e);
            }
            double norm = 0;
            for (int e = 0; e < length; e++) norm += At(values, q, e) * At(values, q, e);
            norm = Math.Sqrt(norm);
            for (int e = 0; e < length; e++) At(values, q, e) /= norm;
        }
    }
}
