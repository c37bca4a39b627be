namespace SymmetryLab.Data;

/// <summary>
/// The picture a row of features came from (row-major, <see cref="Height"/> x <see cref="Width"/>), so that
/// <c>data show</c> can draw it; null on a dataset whose rows are not images.
/// </summary>
public readonly record struct ImageShape(int Height, int Width)
{
    public int Pixels => Height * Width;

    public override string ToString() => $"{Height}x{Width}";
}
