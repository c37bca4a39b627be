using System.Globalization;
using ScottPlot;
using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Reports;

/// <summary>
/// Draws a <see cref="Figure"/> with ScottPlot: one PNG per panel (most figures have one). Colours mean
/// one thing everywhere: a heat map's scale is the figure's fixed range with labelled ticks, so a
/// uniform matrix of 1 is drawn at the top of it. Axes that count (units, epochs, steps) get whole-number
/// ticks, a cost that spans more than a factor of 50 gets a logarithmic axis, and legends sit beside
/// the data, never over it.
/// </summary>
public static class FigureRenderer
{
    public const int Width = 720, Height = 440;

    /// <summary>A cost axis becomes logarithmic when its largest value is this many times its smallest.</summary>
    public const double LogScaleRatio = 50;

    /// <summary>The PNG images of the figure, with a label for each panel.</summary>
    public static List<(string Label, byte[] Png)> Render(Figure figure) =>
        Build(figure).Select(d => (d.Label, d.Plot.GetImageBytes(d.Width, d.Height, ImageFormat.Png))).ToList();

    /// <summary>One panel as a ScottPlot plot and the size to draw it at (the tests read the plots).</summary>
    internal sealed record Drawn(string Label, Plot Plot, int Width, int Height);

    internal static List<Drawn> Build(Figure figure)
    {
        PlotFonts.Register();
        return figure switch
        {
            LineFigure f => [Line(f)],
            HeatmapFigure f => f.Panels.Select(p => Heatmap(f, p.Label, p.Values)).ToList(),
            TilesFigure f => [Tiles(f)],
            BoundaryFigure f => f.Panels.Select(Boundary).ToList(),
            UnitMapsFigure f => f.Panels.Select(UnitMaps).ToList(),
            _ => throw new ArgumentException($"no renderer for {figure.GetType().Name}"),
        };
    }

    private static readonly MarkerShape[] Shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleDown, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.Cross];

    /// <summary>Patterns of horizontal guides (baselines), one after another, so that two close levels stay two in the legend.</summary>
    private static readonly LinePattern[] LevelPatterns = [LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>Whether every series is positive and the largest value is at least <see cref="LogScaleRatio"/> times the smallest.</summary>
    public static bool UsesLogScale(LineFigure f)
    {
        var ys = f.Series.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        return ys.Count > 0 && ys.All(y => y > 0) && ys.Max() >= LogScaleRatio * ys.Min();
    }

    private static bool AllWhole(IEnumerable<double> values) => values.All(v => double.IsFinite(v) && v == Math.Round(v));

    private static Drawn Line(LineFigure f)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        bool log = UsesLogScale(f);
        double Y(double y) => log ? Math.Log10(y) : y;
        // Series that share a label prefix (before ':') share a colour, so "zeros: unit 1..3" read as one family.
        var families = f.Series.Select(s => s.Label.Split(':')[0]).Distinct().ToList();
        bool grouped = families.Count < f.Series.Count;
        var labelled = new HashSet<string>();
        int n = f.Series.Count;
        for (int i = 0; i < n; i++)
        {
            var s = f.Series[i];
            string family = s.Label.Split(':')[0];
            var color = palette.GetColor(grouped ? families.IndexOf(family) : i);
            var line = plot.Add.Scatter(s.X, s.Y.Select(Y).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            if (f.MayCoincide)
            {
                // Earlier series wider and marked with their own shape: where series coincide, each stays visible around the next.
                line.LineWidth = 2 + 3f * (n - 1 - i);
                line.MarkerShape = Shapes[i % Shapes.Length];
                line.MarkerSize = s.X.Length <= 60 ? 7 + 3f * (n - 1 - i) : 0;
            }
            if (!grouped)
                line.LegendText = s.Label;
            else if (labelled.Add(family))
            {
                var members = f.Series.Where(o => o.Label.Split(':')[0] == family).ToList();
                bool identical = members.Count > 1 && members.All(o => o.Y.AsSpan().SequenceEqual(members[0].Y));
                line.LegendText = identical ? $"{family} ({members.Count} identical lines, drawn as one)" : family;
            }
        }
        int levels = 0;
        foreach (var g in f.Guides)
        {
            if (g.Vertical)
            {
                var v = plot.Add.VerticalLine(g.Value);
                v.LinePattern = LinePattern.Dotted;
                v.Color = Colors.Gray;
                v.LegendText = g.Label;
            }
            else
            {
                // Each level its own pattern (the training and test baselines are often close): the legend tells them apart.
                var h = plot.Add.HorizontalLine(Y(g.Value));
                h.LinePattern = LevelPatterns[levels++ % LevelPatterns.Length];
                h.Color = Colors.Black;
                h.LegendText = g.Label;
            }
        }
        if (AllWhole(f.Series.SelectMany(s => s.X))) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (log)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = v => Math.Pow(10, v).ToString("G4", CultureInfo.InvariantCulture),
            };
        }
        else if (AllWhole(f.Series.SelectMany(s => s.Y)))
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(f.Title);
        plot.XLabel(f.XLabel);
        plot.YLabel(log ? $"{f.YLabel}, log scale" : f.YLabel);
        bool legend = f.Series.Count > 1 || f.Guides.Count > 0 || f.Series.Any(s => s.Label.Length > 0);
        if (legend) plot.ShowLegend(Edge.Right);
        return new Drawn(f.Title, plot, legend ? Width + 220 : Width, Height);
    }

    /// <summary>A colour bar with its ends and quarters labelled, so the top and the bottom of the scale read as their values.</summary>
    internal static ScottPlot.Panels.ColorBar ColorBar(Plot plot, IHasColorAxis source, string label, double min, double max)
    {
        var bar = plot.Add.ColorBar(source);
        bar.Label = label;
        var ticks = Enumerable.Range(0, 5).Select(k => min + (max - min) * k / 4).ToArray();
        bar.Axis.SetTicks(ticks, ticks.Select(t => t.ToString("G3", CultureInfo.InvariantCulture)).ToArray());
        return bar;
    }

    /// <summary>Units 1..n as the ticks of an axis: a tick at every unit up to 30 (labelled each up to 12, else 1 and every fifth), whole numbers beyond.</summary>
    private static void UnitTicks(IAxis axis, int units)
    {
        if (units <= 30)
        {
            var positions = Enumerable.Range(1, units).Select(u => (double)u).ToArray();
            axis.SetTicks(positions, positions.Select(p => units <= 12 || p == 1 || p % 5 == 0 ? p.ToString(CultureInfo.InvariantCulture) : "").ToArray());
        }
        else axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }

    private static Drawn Heatmap(HeatmapFigure f, string label, double[,] values)
    {
        // Row j of the matrix at height j + 1, cells centred on the 1-based unit numbers.
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var plot = new Plot();
        var hm = plot.Add.Heatmap(Flip(values));
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        hm.ManualRange = new ScottPlot.Range(f.Min, f.Max); // one scale for every panel: a colour is a value
        hm.Extent = new CoordinateRect(1, Math.Max(cols, 1.0001), 1, Math.Max(rows, 1.0001)); // ScottPlot places the first and last cell centres here
        ColorBar(plot, hm, $"{f.ValueLabel} (fixed scale {f.Min:G3} to {f.Max:G3})", f.Min, f.Max);
        plot.Title(label);
        plot.XLabel("unit");
        plot.YLabel("unit");
        UnitTicks(plot.Axes.Bottom, cols);
        UnitTicks(plot.Axes.Left, rows);
        return new Drawn(label, plot, 560, 460);
    }

    /// <summary>All tiles in one mosaic; each tile scaled by its own largest |weight| so its pattern shows.</summary>
    private static Drawn Tiles(TilesFigure f)
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
        var hm = Mosaic(plot, mosaic);
        hm.Colormap = new ScottPlot.Colormaps.MellowRainbow();
        hm.ManualRange = new ScottPlot.Range(-1, 1);
        ColorBar(plot, hm, "weight / the tile's largest |weight|", -1, 1);
        plot.Title(f.Title);
        plot.Axes.Bottom.IsVisible = false;
        int zoom = Math.Max(6, 120 / tileH); // screen pixels per weight: tiles at least about 120 pixels high
        return new Drawn(f.Title, plot, Math.Max(360, columns * tileW * zoom + 160), Math.Max(400, rows * tileH * zoom + 80));
    }

    private static Drawn Boundary(BoundaryPanel p)
    {
        var plot = new Plot();
        var hm = plot.Add.Heatmap(Flip(p.Probability));
        bool multi = p.Classes > 2;
        IColormap colormap = multi ? new ScottPlot.Colormaps.Turbo() : new ScottPlot.Colormaps.Viridis();
        hm.Colormap = colormap;
        hm.ManualRange = multi ? new ScottPlot.Range(0, p.Classes - 1) : new ScottPlot.Range(0, 1);
        hm.Extent = new CoordinateRect(p.XMin, p.XMax, p.YMin, p.YMax);
        if (multi)
        {
            var bar = plot.Add.ColorBar(hm);
            bar.Label = "predicted class";
            var classes = Enumerable.Range(0, p.Classes).Select(c => (double)c).ToArray();
            bar.Axis.SetTicks(classes, classes.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        else ColorBar(plot, hm, "P(class 1)", 0, 1);
        foreach (var cls in p.PointClass.Distinct().Order())
        {
            var xs = p.PointX.Where((_, i) => p.PointClass[i] == cls).ToArray();
            var ys = p.PointY.Where((_, i) => p.PointClass[i] == cls).ToArray();
            // Each point over a slightly larger white one: an outline that keeps it visible on the full-strength map (which keeps the colour bar's colours).
            var shape = Shapes[cls % Shapes.Length];
            var halo = plot.Add.ScatterPoints(xs, ys);
            halo.MarkerShape = shape;
            halo.Color = Colors.White;
            halo.MarkerSize = 10;
            var points = plot.Add.ScatterPoints(xs, ys);
            points.MarkerShape = shape;
            points.Color = multi ? colormap.GetColor(cls, new ScottPlot.Range(0, p.Classes - 1)) : cls == 1 ? Colors.OrangeRed : Colors.Navy;
            points.MarkerSize = 6;
            points.LegendText = $"class {cls}";
        }
        plot.Title(p.Label);
        plot.XLabel(p.XLabel);
        plot.YLabel(p.YLabel);
        plot.ShowLegend(Edge.Bottom);
        return new Drawn(p.Label, plot, 560, 500);
    }

    /// <summary>One layer's units as small maps over the input plane, in a mosaic, on the panel's one colour scale.</summary>
    private static Drawn UnitMaps(UnitMapsPanel p)
    {
        int units = p.Maps.Count, columns = Math.Min(5, units), rows = (units + columns - 1) / columns;
        int size = p.Maps[0].GetLength(0), gap = Math.Max(2, size / 8), cell = size + gap;
        var mosaic = new double[rows * cell, columns * cell];
        for (int r = 0; r < mosaic.GetLength(0); r++)
            for (int c = 0; c < mosaic.GetLength(1); c++) mosaic[r, c] = double.NaN;
        for (int u = 0; u < units; u++)
        {
            // Grids have row 0 at the bottom (smallest y); the mosaic's row 0 is drawn at the top.
            int top = (u / columns) * cell, left = (u % columns) * cell;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) mosaic[top + size - 1 - y, left + x] = p.Maps[u][y, x];
        }
        var plot = new Plot();
        var hm = Mosaic(plot, mosaic);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        hm.ManualRange = new ScottPlot.Range(p.Min, p.Max);
        ColorBar(plot, hm, p.ValueLabel, p.Min, p.Max);
        for (int u = 0; u < units; u++)
        {
            // Top left of each map, on a white label so it reads over any colour.
            var text = plot.Add.Text($"unit {u + 1}", (u % columns) * cell - 0.5, (rows - u / columns) * cell - gap - 0.5);
            text.LabelFontSize = 11;
            text.LabelFontColor = Colors.Black;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
            text.LabelAlignment = Alignment.UpperLeft;
        }
        plot.Title(p.Label);
        plot.XLabel($"each map: {p.XLabel} across, {p.YLabel} up");
        return new Drawn(p.Label, plot, Math.Max(480, columns * 170 + 250), rows * 170 + 110);
    }

    /// <summary>A matrix drawn as a mosaic of square cells, every cell whole, no axes, white where NaN.</summary>
    private static ScottPlot.Plottables.Heatmap Mosaic(Plot plot, double[,] mosaic)
    {
        int rows = mosaic.GetLength(0), cols = mosaic.GetLength(1);
        var hm = plot.Add.Heatmap(mosaic);
        hm.NaNCellColor = Colors.White;
        hm.Extent = new CoordinateRect(0, cols - 1, 0, rows - 1); // cell centres; every cell reaches half a cell beyond
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.Axes.SquareUnits(); // square cells: an image is not stretched
        plot.Axes.Left.IsVisible = false;
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.MajorTickStyle.Length = plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.HideGrid();
        return hm;
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
