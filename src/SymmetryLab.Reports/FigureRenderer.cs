using ScottPlot;
using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Reports;

/// <summary>Draws a <see cref="Figure"/> with ScottPlot: one PNG per panel (most figures have one).</summary>
public static class FigureRenderer
{
    public const int Width = 720, Height = 440;

    /// <summary>The PNG images of the figure, with a label for each panel.</summary>
    public static List<(string Label, byte[] Png)> Render(Figure figure)
    {
        PlotFonts.Register();
        return figure switch
        {
            LineFigure f => [(f.Title, Line(f))],
            HeatmapFigure f => f.Panels.Select(p => (p.Label, Heatmap(f, p.Label, p.Values))).ToList(),
            TilesFigure f => [(f.Title, Tiles(f))],
            BoundaryFigure f => f.Panels.Select(p => (p.Label, Boundary(p))).ToList(),
            _ => throw new ArgumentException($"no renderer for {figure.GetType().Name}"),
        };
    }

    private static byte[] Png(Plot plot, int width = Width, int height = Height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    private static byte[] Line(LineFigure f)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        // Series that share a label prefix (before ':') share a colour, so "zeros: unit 1..3" read as one family.
        var families = f.Series.Select(s => s.Label.Split(':')[0]).Distinct().ToList();
        bool grouped = families.Count < f.Series.Count;
        var labelled = new HashSet<string>();
        for (int i = 0; i < f.Series.Count; i++)
        {
            var s = f.Series[i];
            var line = plot.Add.ScatterLine(s.X, s.Y);
            string family = s.Label.Split(':')[0];
            line.Color = palette.GetColor(grouped ? families.IndexOf(family) : i);
            line.LineWidth = 2;
            if (!grouped || labelled.Add(family)) line.LegendText = grouped ? family : s.Label;
        }
        plot.Title(f.Title);
        plot.XLabel(f.XLabel);
        plot.YLabel(f.YLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    private static byte[] Heatmap(HeatmapFigure f, string label, double[,] values)
    {
        // Row j of the matrix at height j + 1, cells centred on the 1-based unit numbers.
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var plot = new Plot();
        var hm = plot.Add.Heatmap(Flip(values));
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        if (rows > 1 && cols > 1) hm.Extent = new CoordinateRect(1, cols, 1, rows); // ScottPlot places the first and last cell centres here
        plot.Add.ColorBar(hm).Label = f.ValueLabel;
        plot.Title(label);
        plot.XLabel("unit");
        plot.YLabel("unit");
        return Png(plot, 520, 460);
    }

    /// <summary>All tiles in one mosaic; each tile scaled by its own largest |weight| so its pattern shows.</summary>
    private static byte[] Tiles(TilesFigure f)
    {
        int columns = Math.Min(f.Columns, f.Tiles.Count), rows = (f.Tiles.Count + columns - 1) / columns;
        int gap = 1, tileW = f.Width + gap, tileH = f.Height + gap;
        var mosaic = new double[rows * tileH, columns * tileW];
        for (int r = 0; r < mosaic.GetLength(0); r++)
            for (int c = 0; c < mosaic.GetLength(1); c++) mosaic[r, c] = double.NaN;
        for (int t = 0; t < f.Tiles.Count; t++)
        {
            var pixels = f.Tiles[t].Pixels;
            double scale = pixels.Select(Math.Abs).DefaultIfEmpty(0).Max();
            int top = (t / columns) * tileH, left = (t % columns) * tileW;
            for (int y = 0; y < f.Height; y++)
                for (int x = 0; x < f.Width; x++)
                    mosaic[top + y, left + x] = scale == 0 ? 0 : pixels[y * f.Width + x] / scale;
        }
        var plot = new Plot();
        var hm = plot.Add.Heatmap(mosaic);
        hm.Colormap = new ScottPlot.Colormaps.MellowRainbow();
        hm.ManualRange = new ScottPlot.Range(-1, 1);
        hm.NaNCellColor = Colors.White;
        plot.Title(f.Title);
        plot.Layout.Frameless();
        plot.Axes.Margins(0, 0);
        return Png(plot, Math.Max(240, columns * tileW * 6), Math.Max(160, rows * tileH * 6 + 30));
    }

    private static byte[] Boundary(BoundaryPanel p)
    {
        var plot = new Plot();
        var hm = plot.Add.Heatmap(Flip(p.Probability));
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        hm.ManualRange = new ScottPlot.Range(0, 1);
        hm.Extent = new CoordinateRect(p.XMin, p.XMax, p.YMin, p.YMax);
        hm.Opacity = 0.55;
        plot.Add.ColorBar(hm).Label = "P(class 1)";
        foreach (var cls in p.PointClass.Distinct().Order())
        {
            var xs = p.PointX.Where((_, i) => p.PointClass[i] == cls).ToArray();
            var ys = p.PointY.Where((_, i) => p.PointClass[i] == cls).ToArray();
            var points = plot.Add.ScatterPoints(xs, ys);
            points.Color = cls == 1 ? Colors.OrangeRed : Colors.Navy;
            points.MarkerSize = 6;
            points.LegendText = $"class {cls}";
        }
        plot.Title(p.Label);
        plot.XLabel(p.XLabel);
        plot.YLabel(p.YLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot, 560, 440);
    }

    /// <summary>Our grids have row 0 at the bottom (smallest y); a heatmap draws row 0 at the top.</summary>
    private static double[,] Flip(double[,] values)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var flipped = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) flipped[r, c] = values[rows - 1 - r, c];
        return flipped;
    }
}
