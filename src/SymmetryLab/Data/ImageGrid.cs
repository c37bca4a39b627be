namespace SymmetryLab.Data;

/// <summary>
/// Lays out rows of an image data set as one grayscale picture: a near-square grid with a one-pixel
/// gap, each pixel blown up to a <c>scale</c> x <c>scale</c> block. Values map linearly from the set's
/// own range (0..1 for MNIST, 0..16 for optdigits) to black..white, so every set looks the same way.
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// Up to <paramref name="count"/> rows of <paramref name="data"/> from row <paramref name="first"/> (0-based)
    /// as one picture, each pixel <paramref name="scale"/> x scale: one byte per pixel (0 black, 255 white,
    /// gaps 96), row-major, Width x Height.
    /// </summary>
    /// <exception cref="DataException">The rows are not images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="first"/> is not a row of the set.</exception>
    public static (byte[] Pixels, int Width, int Height) Render(Dataset data, int first, int count, int scale)
    {
        var shape = data.Image ?? throw new DataException($"{data.Name}: its rows are not images");
        if (first < 0 || first >= data.Rows) throw new ArgumentOutOfRangeException(nameof(first));
        count = Math.Min(count, data.Rows - first);
        double min = data.X.Min(), max = data.X.Max();
        double span = max > min ? max - min : 1;
        int columns = (int)Math.Ceiling(Math.Sqrt(count)), rows = (count + columns - 1) / columns;
        int cellW = shape.Width * scale, cellH = shape.Height * scale;
        int width = columns * cellW + (columns - 1), height = rows * cellH + (rows - 1);
        var pixels = new byte[width * height];
        // The gap is mid-grey so that black backgrounds of neighbouring images stay apart.
        Array.Fill(pixels, (byte)96);
        for (int n = 0; n < count; n++)
        {
            var row = data.Row(first + n);
            int ox = n % columns * (cellW + 1), oy = n / columns * (cellH + 1);
            for (int y = 0; y < cellH; y++)
                for (int x = 0; x < cellW; x++)
                {
                    double v = (row[y / scale * shape.Width + x / scale] - min) / span;
                    pixels[(oy + y) * width + ox + x] = (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
                }
        }
        return (pixels, width, height);
    }
}
