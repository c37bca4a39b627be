namespace SymmetryLab.Data;

/// <summary>
/// The picture a row of features came from (row-major, <see cref="Height"/> x <see cref="Width"/>), so that
/// <c>data show</c> can draw it; null on a dataset whose rows are not images.
/// </summary>
/// <param name="Height">Pixel rows.</param>
/// <param name="Width">Pixel columns.</param>
public readonly record struct ImageShape(int Height, int Width)
{
    /// <summary>Height x Width: the features of a row.</summary>
    public int Pixels => Height * Width;

    /// <summary>"28x28".</summary>
    public override string ToString() => $"{Height}x{Width}";
}
