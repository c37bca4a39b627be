using SymmetryLab.Data;
using SymmetryLab.Engine;

namespace SymmetryLab.Lab;

/// <summary>Rows of a data set a chunk at a time, as a model sees them: normalized, in its precision.</summary>
internal static class DataChunks
{
    /// <summary>Rows [start, start + count) of <paramref name="data"/> through <paramref name="normalization"/> into <paramref name="x"/>; <paramref name="scratch"/> holds count rows of doubles.</summary>
    public static void Inputs<T>(Dataset data, Normalization? normalization, int start, int count, double[] scratch, T[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = count * data.Features;
        var rows = data.X.AsSpan(start * data.Features, n);
        if (normalization is not null)
        {
            normalization.Apply(rows, scratch, count);
            rows = scratch.AsSpan(0, n);
        }
        for (int i = 0; i < n; i++) x[i] = T.CreateChecked(rows[i]);
    }
}
