namespace SymmetryLab.Numerics;

/// <summary>
/// A matrix seen inside an array without copying: element (r, c) is
/// <c>Data[Offset + r * RowStride + c * ColumnStride]</c>. A row-major matrix has ColumnStride 1;
/// its transpose is the same array with the strides swapped.
/// </summary>
internal readonly record struct MatrixRef<T>(T[] Data, int RowStride, int ColumnStride, int Offset = 0)
{
    /// <summary>A row-major matrix with <paramref name="columns"/> columns.</summary>
    public static MatrixRef<T> RowMajor(T[] data, int columns) => new(data, columns, 1);

    /// <summary>The transpose of a row-major matrix with <paramref name="columns"/> columns (no copy).</summary>
    public static MatrixRef<T> TransposeOf(T[] data, int columns) => new(data, 1, columns);

    public T this[int row, int column] => Data[Offset + row * RowStride + column * ColumnStride];
}
