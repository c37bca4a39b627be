using SymmetryLab.Data;
using SymmetryLab.Web.Api;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Sessions;

/// <summary>What the page draws of the data: the points of a two-feature set, or the first images of an image set.</summary>
internal static class DataView
{
    /// <summary>Images sent as tiles.</summary>
    public const int Tiles = 40;

    /// <summary>The plane the points and heat maps cover: the points' range in x1 and x2, widened by a tenth on each side.</summary>
    public static (double X1Min, double X1Max, double X2Min, double X2Max) Domain(ResolvedState r)
    {
        double a = double.MaxValue, b = double.MinValue, c = double.MaxValue, d = double.MinValue;
        foreach (var set in new[] { r.RawTrain, r.RawTest })
        {
            if (set is null) continue;
            for (int i = 0; i < set.Rows; i++)
            {
                a = Math.Min(a, set.X[2 * i]); b = Math.Max(b, set.X[2 * i]);
                c = Math.Min(c, set.X[2 * i + 1]); d = Math.Max(d, set.X[2 * i + 1]);
            }
        }
        double pad1 = Math.Max((b - a) * 0.1, 1e-6), pad2 = Math.Max((d - c) * 0.1, 1e-6);
        return (a - pad1, b + pad1, c - pad2, d + pad2);
    }

    /// <summary>The points of a two-feature set (null for any other).</summary>
    public static PointsAnswer? Points(ResolvedState r)
    {
        if (!r.IsPlanar) return null;
        var (a, b, c, d) = Domain(r);
        return new PointsAnswer([a, b, c, d], r.RawTrain.FeatureNames, Flat(r.RawTrain), r.RawTest is { } test ? Flat(test) : null);
    }

    /// <summary>x1, x2, target of each row, flat.</summary>
    private static double[] Flat(Dataset data)
    {
        var flat = new double[3 * data.Rows];
        for (int i = 0; i < data.Rows; i++)
        {
            flat[3 * i] = data.X[2 * i];
            flat[3 * i + 1] = data.X[2 * i + 1];
            flat[3 * i + 2] = data.Y[i];
        }
        return flat;
    }

    /// <summary>
    /// <see cref="Tiles"/> images spread evenly over the rows (sets are often sorted by class) as bytes (0 = the
    /// smallest pixel value of the set, 255 = the largest), with their labels (null for a set of no images).
    /// </summary>
    public static ImagesAnswer? Images(Dataset data)
    {
        if (data.Image is not { } shape) return null;
        int count = Math.Min(Tiles, data.Rows), pixels = shape.Pixels;
        double min = data.X.Min(), max = data.X.Max(), range = max > min ? max - min : 1;
        var rows = Enumerable.Range(0, count).Select(i => (int)((long)i * data.Rows / count)).ToArray();
        var bytes = new byte[count * pixels];
        for (int t = 0; t < count; t++)
            for (int p = 0; p < pixels; p++) bytes[t * pixels + p] = (byte)Math.Round((data.X[rows[t] * pixels + p] - min) / range * 255);
        return new ImagesAnswer(shape.Height, shape.Width, bytes, [.. rows.Select(r => data.Y[r])]);
    }
}
